// dist/playground/sw.js: keeps the playground working offline once it has loaded. On install it
// caches every file of the build (precache.json, written by scripts/build-playground.mjs);
// afterwards each request goes to the network first, so a new deployment shows at once, and falls
// back to the cache when there is no network.

// tsconfig's lib is DOM: the service worker's global as far as this file uses it.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
}
const worker = self as unknown as ServiceWorkerScope;

const CACHE = 'seqmodel-playground';

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const list = (await (await fetch('precache.json', { cache: 'no-store' })).json()) as { files: string[] };
      const cache = await caches.open(CACHE);
      await cache.addAll(list.files);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== worker.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) void cache.put(request, response.clone());
        return response;
      } catch (error) {
        // The page's own URL comes with a share link's fragment or a query: match without them.
        const cached = (await cache.match(request)) ?? (await cache.match(request, { ignoreSearch: true }));
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});

export {};
