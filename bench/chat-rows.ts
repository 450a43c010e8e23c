/**
 * Realistic chat rows for bench/dataset-validate.ts: OpenAI `messages` rows whose English turns come
 * from the real Alpaca demo rows in ../shared/real-datasets/, and a third of whose rows are in Chinese,
 * Japanese and Korean (raw UTF-8, as `ensure_ascii=False` writes them). Deterministic, so every run of the
 * bench reads the same file; rows are distinct, so the duplicate check stores every fingerprint.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { once } from "node:events";

// A few sentences written for this bench, combined at random into turns of realistic length.
const CJK = [
  "请把下面的段落翻译成英文，并保持原文的语气。",
  "机器学习模型在训练之前需要清洗数据，去掉重复和格式错误的样本。",
  "这个函数的时间复杂度是线性的，因为它只遍历一次数组。",
  "如果你想提高模型的泛化能力，可以增加验证集并提前停止训练。",
  "北京的秋天天气晴朗，适合去郊外爬山和看红叶。",
  "总结一下这篇文章的要点：作者认为教育应该更注重实践。",
  "次の文章を要約してください。できるだけ簡潔にお願いします。",
  "東京の天気は明日から雨になる予報なので、傘を持って行きましょう。",
  "このコードはリストを並べ替えてから、重複する要素を取り除きます。",
  "学習率を下げると損失は安定しますが、収束までの時間が長くなります。",
  "会議の議事録を作成し、決定事項と担当者を明記してください。",
  "한국어로 된 문장도 섞여 있습니다. 데이터 품질을 확인해 주세요.",
];
const SYSTEM = ["You are a helpful assistant.", "Answer briefly and precisely."];
const SYSTEM_CJK = ["你是一个乐于助人的助手。", "あなたは親切なアシスタントです。"];

interface AlpacaRow {
  instruction: string;
  input: string;
  output: string;
}

/** xorshift32, seeded: the same file every time. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export function chatRows(source: string): (index: number) => string {
  const alpaca = JSON.parse(readFileSync(source, "utf8")) as AlpacaRow[];
  const next = random(0x9e3779b9);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const cjk = (sentences: number) => Array.from({ length: sentences }, () => pick(CJK)).join("");
  return (index) => {
    const row = alpaca[index % alpaca.length]!;
    const inCjk = index % 3 === 2;
    const user = inCjk ? cjk(2 + Math.floor(next() * 4)) : [row.instruction, row.input].join("\n\n").trim();
    const reply = inCjk ? cjk(4 + Math.floor(next() * 12)) : row.output;
    const messages = [
      { role: "system", content: pick(inCjk ? SYSTEM_CJK : SYSTEM) },
      { role: "user", content: `${user} (#${index})` },
      { role: "assistant", content: reply },
    ];
    if (index % 4 === 0) {
      messages.push({ role: "user", content: inCjk ? cjk(1) : "Can you say that more briefly?" });
      messages.push({ role: "assistant", content: inCjk ? cjk(2) : row.output.slice(0, 200) });
    }
    return JSON.stringify({ messages }) + "\n";
  };
}

/** Writes rows until the file holds at least `bytes` bytes; returns the number of rows. */
export async function writeChatFile(file: string, source: string, bytes: number): Promise<number> {
  const row = chatRows(source);
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    const line = row(rows++);
    written += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return rows;
}
