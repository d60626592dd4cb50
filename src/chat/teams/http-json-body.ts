import type { IncomingMessage } from 'node:http';

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string };

/** Reads and parses a JSON request body, refusing more than `limitBytes` without reading it all. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<JsonBody> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    request.resume();
    return { ok: false, status: 415, message: 'Send the activity as application/json.' };
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return { ok: false, status: 413, message: 'The activity is too large.' };
  }
  // Events rather than `for await`: leaving that loop early destroys the socket, and the 413 could not be sent.
  const text = await new Promise<string | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limitBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
  if (text === undefined) return { ok: false, status: 413, message: 'The activity is too large.' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}
