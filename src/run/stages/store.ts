import { describeStore, probeStore, s3StoreFor } from "../../checkpoints/index.js";
import type { Stage } from "../state.js";

/**
 * The checkpoint store, proven before any data is formatted or step trained (a write, a read and a delete):
 * a store that cannot take checkpoints is found now, not after hours of training whose checkpoints are lost.
 */
export const storeStage: Stage<"store"> = {
  key: "store",
  title: "Checkpoint store",
  when: (state) => s3StoreFor(state.setup.config.checkpoints) !== undefined,
  async run(state, progress) {
    const store = s3StoreFor(state.setup.config.checkpoints)!;
    try {
      progress.output(`writing, reading and deleting a test object in ${describeStore(store)}`);
      await probeStore(store);
      progress.title(`Checkpoint store (${describeStore(store)}: write, read and delete work)`);
      return { proven: describeStore(store) };
    } finally {
      store.destroy();
    }
  },
};
