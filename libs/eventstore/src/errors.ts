/** An append named a stream version that is no longer current: someone else wrote first. */
export class StreamVersionConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is no longer at version ${expectedVersion}`);
    this.name = 'StreamVersionConflict';
  }
}
