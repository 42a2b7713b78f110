import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error';
import { useApi } from '../app-context';

/**
 * A camera picture that refreshes: fetched (not an <img src>, which would never ask again for the same
 * URL) with revalidation, so an unchanged picture costs a 304, and shown from an object URL.
 */
export function Snapshot({ src, alt, tick, onError }: { src: string; alt: string; tick: number; onError?: (e: ApiError | undefined) => void }) {
  const api = useApi();
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    const ac = new AbortController();
    api.blob(src, ac.signal).then(
      (blob) => {
        if (ac.signal.aborted) return;
        setUrl((old) => {
          if (old) URL.revokeObjectURL(old);
          return URL.createObjectURL(blob);
        });
        onError?.(undefined);
      },
      (e: ApiError) => !ac.signal.aborted && onError?.(e),
    );
    return () => ac.abort();
  }, [api, src, tick]);
  useEffect(() => () => setUrl((old) => (old && URL.revokeObjectURL(old), undefined)), []);
  return url ? <img src={url} alt={alt} decoding="async" /> : <span class="no-picture" aria-hidden="true" />;
}
