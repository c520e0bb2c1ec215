/** The report's stylesheet, inlined so the page needs nothing else. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #6b6b70; --rule: #e3e3e6; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 Helvetica, Arial, sans-serif; color: var(--ink); background: #fafafa; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0; }
h2 { font-size: 20px; margin: 32px 0 12px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 8px; }
.dir { color: var(--muted); margin: 4px 0 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
a { color: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
details { display: inline-block; margin-left: 8px; color: var(--muted); }
details pre { color: var(--ink); }
.note { color: var(--muted); font-size: 13px; }
#figures { display: flex; flex-wrap: wrap; gap: 20px; }
#figures h2 { flex-basis: 100%; }
figure { margin: 0; background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 14px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; max-width: 560px; margin-top: 6px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { position: sticky; top: 0; background: #f3f3f5; }
#code { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
#code h2 { grid-column: 1 / -1; }
article.code { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; margin: 0; }
article.code:target { outline: 2px solid var(--accent); }
article.code small { color: var(--muted); font-weight: normal; }
pre { margin: 0; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; }
footer { color: var(--muted); font-size: 12px; padding: 32px 24px 40px; }
`;
