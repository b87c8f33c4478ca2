import { defineConfig } from "vite";

// The host serves the build at /ui (src/Api/Console), every asset from this folder: no CDN.
export default defineConfig({
  base: "/ui/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
});
