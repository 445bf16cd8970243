/**
 * How much of an upload has left this machine, for its progress bar. The machine counts the bytes it hands to
 * the socket, but the kernel's buffers take megabytes at once: over a slow link that count reaches the end at
 * once, and then the bytes take their time. The loop says how many handed bytes the peer has not acknowledged
 * yet (send-progress.ts); the difference is what has left. It is never more than that, and never goes back.
 */
export class UploadSent {
  private handed = 0;
  private left = 0;

  /** The machine's count of the file's bytes handed to the socket, of which the first `start` the server had already. */
  handedOver(bytes: number, start = 0): void {
    this.handed = bytes;
    this.left = Math.max(this.left, start);
  }

  /** `bytes` of those handed to the socket wait for the peer to acknowledge them. */
  waiting(bytes: number): void {
    this.left = Math.max(this.left, this.handed - bytes);
  }

  /** The file's bytes that have left, as far as is known. */
  get bytes(): number {
    return this.left;
  }
}
