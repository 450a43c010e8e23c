// The bare baseline for bench/dataset-validate.ts: stream the file, split lines, JSON.parse each.
// Nothing else — no validation — so the ratio shows what validation costs on top of reading.
import { createReadStream } from "node:fs";

let rest = "";
let rows = 0;
const stream = createReadStream(process.argv[2], { encoding: "utf8", highWaterMark: 4 << 20 });
for await (const chunk of stream) {
  const lines = (rest + chunk).split("\n");
  rest = lines.pop();
  for (const line of lines) {
    if (line.length === 0) continue;
    JSON.parse(line);
    rows++;
  }
}
if (rest.length > 0) {
  JSON.parse(rest);
  rows++;
}
console.log(JSON.stringify({ rows }));
