// The page's one inline stylesheet: laptop-width layout, visible keyboard focus, print without the nav.
import { chartStyle } from '../findings/svg-chart.js';

export const pageStyle = `
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --bg: #ffffff; --panel: #f6f7f9; --accent: #1565c0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #f9a825; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 6px 10px; }
.skip:focus { left: 8px; z-index: 10; }
header.page { padding: 14px 24px 8px; border-bottom: 1px solid var(--line); }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; color: var(--muted); }
nav.toc { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 24px; }
nav.toc ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
main { max-width: 1280px; margin: 0 auto; padding: 0 24px 48px; }
section { padding-top: 8px; scroll-margin-top: 44px; }
article { scroll-margin-top: 44px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--ink); padding-bottom: 2px; margin: 22px 0 10px; }
h3 { font-size: 16px; margin: 20px 0 4px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 10px; margin-bottom: 12px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.tile-name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile-value { font-size: 24px; font-weight: 600; }
.tile-note { color: var(--muted); font-size: 12px; }
.columns { display: flex; flex-wrap: wrap; gap: 16px 28px; align-items: flex-start; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 6px 0 12px; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11px; font-weight: 700; color: #fff; background: #607d8b; letter-spacing: .03em; }
.cls-win { background: #2e7d32; } .cls-loss { background: #c62828; } .cls-inconclusive { background: #757575; }
.cls-invalid { background: #ef6c00; } .cls-baseline { background: #1565c0; } .cls-mixed { background: #6a1b9a; }
.cls-queued { background: #e0e0e0; color: #333; }
.status { font-weight: 600; } .status-refuted { color: #c62828; text-decoration: line-through; } .status-contested { color: #ef6c00; }
.status-confirmed { color: #2e7d32; } .status-no-finding, .status-unsupported { color: #c62828; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg { max-width: 100%; height: auto; }
${chartStyle}
.legend { margin: 4px 0; font-size: 12px; } .legend > span { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; border: 1px solid #222; vertical-align: -1px; }
.swatch.line { width: 18px; height: 0; border-radius: 0; border: 0; border-top: 2px dashed #222; }
.experiment { border-top: 1px solid var(--line); padding-top: 4px; }
.question { margin: 2px 0; font-style: italic; } .headline { margin: 2px 0 6px; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 4px 0 8px; font-size: 13px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--panel); padding: 0 3px; }
pre.reason { white-space: pre-wrap; background: var(--panel); padding: 8px; border: 1px solid var(--line); }
.config-line { font-size: 12px; color: var(--muted); }
figure.curves { margin: 6px 0; } figcaption { font-size: 12px; color: var(--muted); }
.provenance { font-size: 12px; color: var(--muted); }
.note { color: var(--muted); }
ul.tree, ul.tree ul { list-style: none; padding-left: 18px; margin: 2px 0; }
ul.tree li { margin: 2px 0; } ul.tree ul li::before { content: "↳ "; color: var(--muted); }
@media print {
  nav.toc, .skip { display: none; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .experiment, table, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  .badge { border: 1px solid #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
