/** The console's one HTML page and its style sheet; the script is console-client.ts. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PrivateLink ops console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<a class="skip" href="#app">Skip to content</a>
<header>
  <span class="brand">PrivateLink control plane · ops console</span>
  <nav aria-label="Console"><a href="#/">Overview</a></nav>
  <span id="status" role="status" aria-live="polite">Loading…</span>
  <button type="button" id="signout">Sign out</button>
</header>
<main id="app" tabindex="-1"><noscript>The console needs JavaScript; the API itself is at /docs.</noscript></main>
<dialog id="confirm"></dialog>
</body>
</html>
`;

export const CONSOLE_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --ok: #1a7f37; --bad: #b42318; --wait: #9a6700; --accent: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: center; gap: 16px; padding: 8px 20px; background: #11243d; color: #fff; }
header .brand { font-weight: 600; }
header nav a { color: #fff; }
header #status { margin-left: auto; font-size: 13px; }
header #status.stale { color: #ffb4a8; }
header button { background: transparent; color: #fff; border: 1px solid #8aa4c8; }
main { padding: 12px 20px 40px; max-width: 1400px; margin: 0 auto; outline: none; }
h1 { font-size: 20px; margin: 8px 0 12px; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f2a900; outline-offset: 1px; }
.skip { position: absolute; left: -1000px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 12px; align-items: start; }
.card, .panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.panel { margin-bottom: 12px; overflow-x: auto; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.columns > .panel { margin-bottom: 12px; }
.total { float: right; font-size: 20px; font-weight: 600; }
dl.counts { display: grid; grid-template-columns: 1fr auto; margin: 0; row-gap: 2px; }
dl.counts dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
dl.fields { display: grid; grid-template-columns: 160px 1fr; margin: 0; row-gap: 4px; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td { overflow-wrap: anywhere; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.nowrap, .badge { white-space: nowrap; }
.note { color: var(--muted); font-size: 12px; }
.empty { color: var(--muted); margin: 4px 0; }
.error { color: var(--bad); background: #fff1f0; border: 1px solid #f4c7c3; padding: 6px 8px; border-radius: 4px; }
.ok { color: var(--ok); }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); } .badge.bad { color: var(--bad); } .badge.wait { color: var(--wait); }
button { font: inherit; white-space: nowrap; padding: 3px 10px; border-radius: 4px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button:disabled { opacity: .6; cursor: default; }
.actions { display: inline-flex; gap: 6px; }
.crumbs { margin: 0; color: var(--muted); }
.signin { max-width: 420px; margin: 60px auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 20px; display: grid; gap: 8px; }
input { font: inherit; padding: 5px 8px; border: 1px solid #8c959f; border-radius: 4px; }
dialog { border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; max-width: 560px; width: 100%; }
dialog::backdrop { background: rgba(17, 36, 61, .45); }
dialog form { display: grid; gap: 8px; }
dialog .buttons { display: flex; gap: 8px; justify-content: flex-end; }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
ol.timeline li { position: relative; padding: 6px 10px 8px 16px; background: #fff; border-bottom: 1px solid var(--line); }
ol.timeline li::before { content: ""; position: absolute; left: -8px; top: 12px; width: 11px; height: 11px; border-radius: 50%; background: var(--accent); }
ol.timeline time { color: var(--muted); font-size: 12px; margin-right: 8px; }
ol.timeline .type { color: var(--muted); font-size: 12px; }
ol.timeline .who { color: var(--muted); font-size: 12px; }
meter { width: 90px; vertical-align: middle; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
