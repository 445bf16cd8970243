/**
 * The transfer client's machines for a run of many files. `provide` builds a whole machine (every state node
 * and transition: about 1 ms of CPU, more than the rest of a 4 KiB transfer), so a run builds one per transfer
 * in flight rather than one per file: each machine's actors work on the local file it is lent for one transfer.
 */
import type { BulkOptions } from '../../src/engine/file-actors';
import type { LocalFile } from '../../src/storage/file-store';
import { transferClientMachine } from './client';
import { clientActors, clientRoomCheck } from './client-actors';

export type ClientLogic = ReturnType<typeof transferClientMachine.provide>;

interface Lent {
  logic: ClientLogic;
  local?: LocalFile;
}

export class ClientLogicPool {
  private readonly free: Lent[] = [];

  constructor(private readonly bulk: BulkOptions = {}) {}

  /** Runs `transfer` with a machine whose actors use `local`; the machine is free again once `transfer` has settled. */
  async lend<T>(local: LocalFile, transfer: (logic: ClientLogic) => Promise<T>): Promise<T> {
    const lent = this.free.pop() ?? this.build();
    lent.local = local;
    try {
      return await transfer(lent.logic);
    } finally {
      lent.local = undefined;
      this.free.push(lent);
    }
  }

  private build(): Lent {
    const lent: Lent = { logic: transferClientMachine };
    const local = (): LocalFile => {
      if (lent.local === undefined) throw new Error('a pooled transfer machine ran outside its transfer');
      return lent.local;
    };
    const lentFile: LocalFile = {
      hasRoomFor: (size) => local().hasRoomFor(size),
      read: (size) => local().read(size),
      receive: (kept) => local().receive(kept),
    };
    lent.logic = transferClientMachine.provide({
      actors: clientActors(lentFile, this.bulk),
      actions: clientRoomCheck(lentFile),
    });
    return lent;
  }
}
