import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { tinyModelDir } from "../../src/launch/paths.js";
import { root } from "./cli.js";
import { trainingWorkspace } from "./run-workspace.js";
import { addCommit, filesOfDir, hubFile, makeRepo, type HubRepo } from "./hub-repos.js";
import { startHubServer, type HubServer } from "./hub-server.js";

export const TINY = "pipeline-test/tiny-chat";
export const GATED = "pipeline-test/tiny-gated";
export const PRIVATE = "pipeline-test/tiny-private";
export const DATASET = "pipeline-test/json-words";
/** alice accepted the gated model's terms; bob did not. */
export const ALICE = "hf_alice_test_token_0123456789";
export const BOB = "hf_bob_test_token_0123456789";

/** The demo task's rows in Alpaca form, for the dataset repo's Parquet file (string columns). */
function alpacaRows(n: number) {
  const rows = readFileSync(join(root, "datasets/quickstart/train.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean);
  return rows.slice(0, n).map((line) => {
    const [user, assistant] = (JSON.parse(line) as { messages: { content: string }[] }).messages;
    return { instruction: user!.content, input: "", output: assistant!.content };
  });
}

function parquetOf(rows: { instruction: string; input: string; output: string }[]): Buffer {
  const column = (name: "instruction" | "input" | "output") => ({
    name,
    data: rows.map((row) => row[name]),
    type: "STRING" as const,
  });
  return Buffer.from(
    parquetWriteBuffer({ columnData: [column("instruction"), column("input"), column("output")] }),
  );
}

/**
 * The repos the contract tests serve: the built-in tiny model as a hub model (with a duplicate `.bin` and an
 * `original/` tree that training must not download, and a tag `v1` before a later commit), a gated and a
 * private copy, and a dataset repo with JSONL, JSON and Parquet files.
 */
export function hubRepos(): HubRepo[] {
  const model = filesOfDir(tinyModelDir, ["pretrain.json", "SHA256SUMS"]);
  const weights = model.find((f) => f.path === "model.safetensors")!.bytes!;
  const extras = [hubFile("pytorch_model.bin", weights), hubFile("original/consolidated.pth", weights)];
  const tiny = makeRepo("model", TINY, [...model, ...extras, hubFile("README.md", Buffer.from("# tiny\n"))], {
    license: "apache-2.0",
  });
  tiny.refs.set("v1", tiny.refs.get("main")!);
  addCommit(tiny, [hubFile("README.md", Buffer.from("# tiny chat model\n"))], [], "Update README.md");
  const gated = makeRepo("model", GATED, model, { gated: "manual", license: "llama3.1" });
  const hidden = makeRepo("model", PRIVATE, model, { private: true });
  const quick = (file: string) => readFileSync(join(root, "datasets/quickstart", file));
  const evalRows = quick("eval.jsonl").toString().split("\n").filter(Boolean).slice(0, 16);
  const dataset = makeRepo("dataset", DATASET, [
    hubFile("data/train.jsonl", quick("train.jsonl")),
    hubFile(
      "data/eval.json",
      Buffer.from(JSON.stringify(evalRows.map((line) => JSON.parse(line) as unknown))),
    ),
    hubFile("data/train.parquet", parquetOf(alpacaRows(256))),
    hubFile("README.md", Buffer.from("# json words\n")),
  ]);
  return [tiny, gated, hidden, dataset];
}

export function startTestHub(): Promise<HubServer> {
  return startHubServer(hubRepos(), {
    [ALICE]: { name: "alice", accepted: new Set([GATED]) },
    [BOB]: { name: "bob", accepted: new Set() },
  });
}

/** The environment a `pipeline` process needs to use the loopback Hub and its own cache. */
export function hubEnv(hub: HubServer, hfHome: string, token?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HF_ENDPOINT: hub.url, HF_HOME: hfHome, CI: "1" };
  delete env.HF_TOKEN;
  delete env.HUGGING_FACE_HUB_TOKEN;
  delete env.HF_HUB_CACHE;
  if (token) env.HF_TOKEN = token;
  return env;
}

/**
 * A short training workspace (4 steps, 64 rows) on a base model given as written in the config (a hub
 * id), formatted with the model's own chat template; `extra` is appended to the config (it ends inside
 * the `eval:` block).
 */
export async function hubWorkspace(baseModel: string, extra = ""): Promise<string> {
  const cwd = await trainingWorkspace(
    { max_steps: 4, logging_steps: 2, save_steps: 4 },
    { train: 64, eval: 8 },
  );
  const config = join(cwd, "configs/run.yaml");
  const text = (await readFile(config, "utf8"))
    .replace("base_model: builtin:tiny", `base_model: ${baseModel}`)
    .replace("template: chatml", "template: model");
  await writeFile(config, text + extra);
  return cwd;
}
