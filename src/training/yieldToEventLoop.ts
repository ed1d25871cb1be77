// Lets pending messages (a stop) be handled in the middle of fitting. Node's setImmediate runs
// right after them; a browser worker has none, and setTimeout(0) there waits 4 ms when nested,
// so a MessageChannel round trip (no clamping) stands in for it.

export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
