// Path routing under /ui (the host answers every /ui/* path with index.html).
import { useEffect, useState } from "preact/hooks";

export const base = "/ui";

export function href(path: string): string {
  return base + (path.startsWith("/") ? path : "/" + path);
}

export function navigate(path: string): void {
  history.pushState(null, "", href(path));
  dispatchEvent(new PopStateEvent("popstate"));
}

/** The route: the path below /ui split into decoded segments. */
export function useRoute(): string[] {
  const read = () =>
    location.pathname
      .slice(base.length)
      .split("/")
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return route;
}

/** Same-page navigation for plain left clicks on links inside the console. */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download") || anchor.getAttribute("href")?.startsWith("#")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(base)) return;
    event.preventDefault();
    history.pushState(null, "", url.pathname + url.search);
    dispatchEvent(new PopStateEvent("popstate"));
  });
}

export function seg(value: string): string {
  return encodeURIComponent(value);
}
