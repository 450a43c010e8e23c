import type { Report } from "../schema.js";
import { escapeHtml as e } from "./escape.js";
import { overview, training } from "./sections.js";
import { STYLE } from "./style.js";
import { championSection, examplesSection, gatesSection, suiteSection } from "./suite-sections.js";

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, nothing fetched), so it can be
 * mailed, archived as a CI artifact or opened offline. The CSP forbids any load, should data ever slip through.
 */
export function renderHtml(report: Report): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run ${e(report.run_id)}</title><style>${STYLE}</style></head>
<body><main>
${overview(report)}
${training(report.training)}
${report.suites.map(suiteSection).join("\n")}
${report.suites.map((s) => championSection(s, report.champion?.source)).join("\n")}
${gatesSection(report.gates)}
${report.suites.map(examplesSection).join("\n")}
<p class="note">Rendered from report.json (version ${report.version}); <code>pipeline report ${e(report.run_id)}</code> renders it again.</p>
</main></body></html>
`;
}
