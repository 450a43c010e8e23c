// Inline, so report.html opens anywhere with no network: system fonts only, nothing fetched.
export const STYLE = `
:root { --fg: #1d2430; --muted: #5b6472; --line: #d5dae1; --base: #8a94a6; --adapter: #2f6fdf;
  --good: #1c7c3c; --bad: #c0392b; --lr: #b5651d; --eval: #8e44ad; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
main { max-width: 860px; margin: 0 auto; padding: 24px 20px 48px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
h1 { font-size: 22px; margin: 8px 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.scores .num { white-space: nowrap; }
.scroll { overflow-x: auto; }
.meta { color: var(--muted); margin: 0; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; color: #fff; }
.outcome-passed { background: var(--good); } .outcome-gates-failed, .outcome-not-stored, .outcome-failed { background: var(--bad); }
.outcome-interrupted { background: var(--muted); }
.callout { border-left: 4px solid var(--bad); background: #fdf0ee; padding: 8px 12px; margin: 10px 0; }
.verdict-better { color: var(--good); font-weight: 600; } .verdict-worse { color: var(--bad); font-weight: 600; }
.verdict-no-significant-difference { color: var(--muted); }
.pass { color: var(--good); font-weight: 600; } .fail { color: var(--bad); font-weight: 600; }
svg.chart { width: 100%; height: auto; display: block; margin: 4px 0 8px; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .axis-line, svg .tick { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis-label, svg .metric-name { font-size: 12px; fill: var(--fg); }
svg .line, svg .legend-line { fill: none; stroke-width: 2; }
svg .series-0 { stroke: var(--adapter); fill: var(--adapter); } svg line.series-0, svg polyline.series-0 { fill: none; }
svg .series-1 { stroke: var(--eval); fill: var(--eval); }
svg .series-lr { stroke: var(--lr); fill: none; }
svg .bar-base { fill: var(--base); } svg .bar-adapter { fill: var(--adapter); }
svg .whisker line { stroke: var(--fg); stroke-width: 1.5; }
svg .bar-label { fill: var(--fg); }
svg text.verdict-better { fill: var(--good); } svg text.verdict-worse { fill: var(--bad); }
.example { border-top: 1px solid var(--line); padding-top: 8px; }
.example dl { display: grid; grid-template-columns: 90px 1fr; gap: 4px 12px; margin: 0; }
.example dt { color: var(--muted); }
.example dd { margin: 0; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace;
  background: #f3f5f8; padding: 4px 8px; border-radius: 4px; }
.note { color: var(--muted); font-size: 13px; }
`;
