// The share link: the whole file in the URL's fragment (`#code=...`), deflated and base64url
// encoded. The fragment never reaches a server, so a shared model stays between the people who
// pass the link around, and any static host serves it.

const PREFIX = 'code=';

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const body = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The URL fragment (with its '#') that carries `text`. */
export async function encodeShare(text: string): Promise<string> {
  const deflated = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return `#${PREFIX}${toBase64Url(deflated)}`;
}

/**
 * The file a fragment carries; undefined when the fragment is not a share link, an Error (to
 * show) when it is one that was cut short or mangled on its way.
 */
export async function decodeShare(hash: string): Promise<string | undefined | Error> {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith(PREFIX)) return undefined;
  try {
    const inflated = await pipe(fromBase64Url(fragment.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (error) {
    return new Error(`The share link is damaged (${error instanceof Error ? error.message : String(error)}); it may have been cut short when it was copied.`);
  }
}
