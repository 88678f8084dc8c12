/**
 * A request's body as text, at most `max` bytes. A larger declared Content-Length is refused
 * unread; since Content-Length may be absent or lie, what actually arrives is counted too, and
 * reading stops (the stream cancelled) the moment it passes the limit. `tooLarge` makes the
 * caller's own error (a webhook answers differently from the API).
 */
export async function readBoundedText(request: Request, max: number, tooLarge: () => Error): Promise<string> {
  if (Number(request.headers.get("content-length") ?? "0") > max) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
