/**
 * Reads a response body up to `maxBytes`. Returns undefined as soon as the body is known
 * to be larger, after cancelling the rest of the transfer: a huge file costs the limit,
 * not its size. Content-Length is not trusted for this; the count of received bytes is.
 */
export async function readLimitedBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | undefined> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total);
}
