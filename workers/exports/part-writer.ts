/*
 * Cuts a stream of text into the fixed-size parts an R2 multipart upload needs (every part but
 * the last exactly `partBytes`), holding at most one part plus one row in memory. What is not
 * yet a whole part is the `pending` tail: it is saved with each checkpoint, so a resumed job
 * continues byte-exactly where the last uploaded part ended.
 */
export class PartWriter {
  #chunks: Uint8Array[] = [];
  #size = 0;
  readonly #encoder = new TextEncoder();

  constructor(
    readonly partBytes: number,
    pending?: Uint8Array,
  ) {
    if (pending?.length) this.#push(pending);
  }

  /** Appends text; returns the whole parts that are now ready, in order. */
  write(text: string): Uint8Array[] {
    this.#push(this.#encoder.encode(text));
    const parts: Uint8Array[] = [];
    while (this.#size >= this.partBytes) parts.push(this.#take(this.partBytes));
    return parts;
  }

  /** Everything buffered (the last part, or the tail to checkpoint). */
  drain(): Uint8Array {
    return this.#take(this.#size);
  }

  /** A copy of the buffered tail, leaving it buffered. */
  peek(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  #push(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.#chunks.push(bytes);
    this.#size += bytes.length;
  }

  #take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.#chunks[0]!;
      const wanted = n - offset;
      if (chunk.length <= wanted) {
        out.set(chunk, offset);
        offset += chunk.length;
        this.#chunks.shift();
      } else {
        out.set(chunk.subarray(0, wanted), offset);
        this.#chunks[0] = chunk.subarray(wanted);
        offset += wanted;
      }
    }
    this.#size -= n;
    return out;
  }
}
