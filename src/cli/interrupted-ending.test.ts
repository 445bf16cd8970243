import { interruptedEnding, type TransferStand } from './interrupted-ending';

const MiB = 1024 * 1024;
const stand = (fields: Partial<TransferStand>): TransferStand => ({
  bytes: 0,
  total: 200 * MiB,
  resumes: true,
  answered: true,
  stored: false,
  unconfirmed: false,
  ...fields,
});

describe('the line of a transfer a signal stopped', () => {
  it('an upload the server answered that sent no byte says nothing is kept, and is not resumable', () => {
    // The server keeps no part without a byte in it: a stranger saw `the server keeps what reached it` at 0 B (4 of
    // 111 runs) with nothing on the server, and `"resumable":true` beside `nothing kept` on downloads.
    expect(interruptedEnding('upload', stand({}))).toEqual({
      words: 'at 0 B of 200.0 MiB: nothing kept',
      bytes: 0,
      resumable: false,
    });
    expect(interruptedEnding('download', stand({}))).toEqual({
      words: 'at 0 B of 200.0 MiB: nothing kept',
      bytes: 0,
      resumable: false,
    });
  });

  it('an upload stopped before the server answered leaves whatever an earlier run kept there', () => {
    expect(interruptedEnding('upload', stand({ answered: false }))).toEqual({
      words: 'at 0 B of 200.0 MiB: nothing sent: a part the server kept of an earlier run, if any, stays',
      bytes: 0,
      resumable: false,
    });
  });

  it('bytes that reached the other side are kept and resume, on either side', () => {
    expect(interruptedEnding('upload', stand({ bytes: 60 * MiB }))).toEqual({
      words: 'at 60.0 MiB of 200.0 MiB: the server keeps what reached it, the same command resumes it',
      bytes: 60 * MiB,
      resumable: true,
    });
    expect(interruptedEnding('download', stand({ bytes: 4 * MiB })).words).toBe(
      'at 4.00 MiB of 200.0 MiB: the part is kept, the same command resumes it',
    );
  });

  it('without resume agreed nothing is kept, whatever moved', () => {
    expect(interruptedEnding('download', stand({ bytes: 4 * MiB, resumes: false }))).toEqual({
      words: 'at 4.00 MiB of 200.0 MiB: nothing kept',
      bytes: 4 * MiB,
      resumable: false,
    });
  });

  it("a download not yet answered counts the earlier run's part, which stays", () => {
    const earlier = { offset: 3 * MiB, size: 8 * MiB };
    expect(interruptedEnding('download', stand({ answered: false, total: 0 }), earlier)).toEqual({
      words: 'at 3.00 MiB of 8.00 MiB: the part is kept, the same command resumes it',
      bytes: 3 * MiB,
      resumable: true,
    });
  });

  it('a file already stored is said so and is not resumable', () => {
    expect(interruptedEnding('upload', stand({ bytes: 200 * MiB, stored: true }))).toEqual({
      words: 'at 200.0 MiB of 200.0 MiB: the server had already stored it',
      bytes: 200 * MiB,
      resumable: false,
    });
  });

  it('every byte acknowledged and the confirmation awaited: stored, or resumed by the same command', () => {
    expect(interruptedEnding('upload', stand({ bytes: 200 * MiB, unconfirmed: true })).words).toBe(
      'at 200.0 MiB of 200.0 MiB: every byte sent, the server had not confirmed storing it: the same command finds it stored (the name exists) or resumes it',
    );
  });
});
