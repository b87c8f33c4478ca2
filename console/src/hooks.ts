import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` when `deps` change, and again every `pollMs` when given. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  useEffect(() => {
    const call = ++current.current;
    let timer: number | undefined;
    const run = async () => {
      try {
        const value = await load();
        if (call !== current.current) return;
        setData(value);
        setError(null);
      } catch (e) {
        if (call !== current.current) return;
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (call === current.current) {
          setLoading(false);
          if (pollMs) timer = window.setTimeout(run, pollMs);
        }
      }
    };
    setLoading(true);
    run();
    return () => {
      current.current++;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
