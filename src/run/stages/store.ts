import { dirname } from "node:path";
import { storeFor } from "../../checkpoints/index.js";
import type { Stage } from "../state.js";

/**
 * The checkpoint store, proven before any data is formatted or step trained (a write, a read and a delete):
 * a store that cannot take checkpoints is found now, not after hours of training whose checkpoints are lost.
 * Skipped when the store is the runs directory itself (the default), which the run directory's creation proves.
 */
export const storeStage: Stage<"store"> = {
  key: "store",
  title: "Checkpoint store",
  when: (state) => state.setup.config.checkpoints.store !== undefined,
  async run(state, progress) {
    const store = storeFor(state.setup.config.checkpoints, dirname(state.setup.paths.dir));
    if (!store) return { proven: "the runs directory" };
    try {
      progress.output(`writing, reading and deleting a test file in ${store.describe()}`);
      await store.probe();
      progress.title(`Checkpoint store (${store.describe()}: write, read and delete work)`);
      return { proven: store.describe() };
    } finally {
      store.close();
    }
  },
};
