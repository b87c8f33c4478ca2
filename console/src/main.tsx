import { render } from "preact";
import { useState } from "preact/hooks";
import { consoleInfo, loadCredentials, saveCredentials, setRegistryBase, type ConsoleInfo } from "./api";
import { ErrorBox } from "./components";
import { useLoad } from "./hooks";
import { Catalog } from "./pages/catalog";
import { Jobs } from "./pages/jobs";
import { Overview } from "./pages/overview";
import { Pipelines } from "./pages/pipelines";
import { Query } from "./pages/query";
import { Registry } from "./pages/registry";
import { href, interceptLinks, useRoute } from "./router";
import "./styles.css";

const sections = [
  { path: "", label: "Overview" },
  { path: "jobs", label: "Jobs" },
  { path: "pipelines", label: "Pipelines" },
  { path: "catalog", label: "Catalog" },
  { path: "registry", label: "Registry" },
  { path: "query", label: "Query" },
];

function SignIn({ onDone }: { onDone: () => void }) {
  const current = loadCredentials();
  const [accessKeyId, setKey] = useState(current?.accessKeyId ?? "");
  const [secretAccessKey, setSecret] = useState("");
  const [region, setRegion] = useState(current?.region ?? "us-east-1");
  return (
    <form
      class="signin"
      aria-label="access key"
      onSubmit={(e) => {
        e.preventDefault();
        saveCredentials(accessKeyId ? { accessKeyId, secretAccessKey, region } : null);
        onDone();
      }}
    >
      <p>This host verifies AWS Signature Version 4 (Streams:Catalog:AccessKeys). The key stays in this tab's session storage.</p>
      <label>
        Access key id <input value={accessKeyId} autoComplete="username" onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Secret access key{" "}
        <input type="password" value={secretAccessKey} autoComplete="current-password" onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Region <input value={region} onInput={(e) => setRegion((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">Use this key</button>
    </form>
  );
}

function Page({ info, route }: { info: ConsoleInfo; route: string[] }) {
  const [section, ...rest] = route;
  switch (section ?? "") {
    case "":
      return <Overview info={info} />;
    case "jobs":
      return <Jobs info={info} route={rest} />;
    case "pipelines":
      return <Pipelines route={rest} />;
    case "catalog":
      return <Catalog route={rest} />;
    case "registry":
      return <Registry route={rest} />;
    case "query":
      return <Query />;
    default:
      return (
        <div class="page">
          <h1>Not found</h1>
          <p>
            No console page at this address. <a href={href("/")}>Overview</a>
          </p>
        </div>
      );
  }
}

function App() {
  const route = useRoute();
  const info = useLoad(async () => {
    const i = await consoleInfo();
    setRegistryBase(i.registryPath);
    return i;
  }, []);
  const [signingIn, setSigningIn] = useState(false);
  const [generation, setGeneration] = useState(0);
  const needsKey = info.data?.authRequired && !loadCredentials();
  return (
    <>
      <a
        class="skip"
        href="#content"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("content")?.focus();
        }}
      >
        Skip to content
      </a>
      <header>
        <a class="brand" href={href("/")}>
          Streams
        </a>
        <nav aria-label="sections">
          {sections.map((s) => (
            <a key={s.path} href={href("/" + s.path)} aria-current={(route[0] ?? "") === s.path ? "page" : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        {info.data?.authRequired ? (
          <button type="button" class="key" onClick={() => setSigningIn(!signingIn)}>
            {loadCredentials() ? `Key ${loadCredentials()!.accessKeyId}` : "Sign in"}
          </button>
        ) : null}
      </header>
      <main id="content" tabIndex={-1} key={generation}>
        <ErrorBox error={info.error} />
        {signingIn || needsKey ? (
          <SignIn
            onDone={() => {
              setSigningIn(false);
              setGeneration((g) => g + 1);
            }}
          />
        ) : null}
        {info.data && !needsKey ? <Page info={info.data} route={route} /> : null}
      </main>
      <footer class="muted">{info.data ? `Streams ${info.data.version}` : ""}</footer>
    </>
  );
}

interceptLinks();
render(<App />, document.getElementById("app")!);
