/**
 * The review page's inline stylesheet and script (no build step, no external assets).
 *
 * The script only enhances: every action is a plain form that works without it. With it, forms are
 * sent with fetch and the server answers with the re-rendered story card, so the page keeps its
 * place; j/k/a/r/v/i/n/p/? drive the selected story from the keyboard.
 */

export const REVIEW_CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#f5f6f9;--card:#fff;--line:#dde1ea;--accent:#3a5bd9;
--ok:#1d7a46;--ok-bg:#e3f4ea;--bad:#b42323;--bad-bg:#fbe7e7;--warn:#8a5a00;--warn-bg:#fdf1d8;
--video:#6b3fc4;--video-bg:#efe8fc;--image:#0f7a7a;--image-bg:#e0f4f4;--neither:#5b6475;--neither-bg:#eceef3}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9f0;--muted:#a0a8b8;--bg:#111318;--card:#1a1d24;--line:#2c313c;--accent:#8ea6ff;
--ok:#6fd49b;--ok-bg:#173524;--bad:#ff8f8f;--bad-bg:#3d1c1c;--warn:#f0c060;--warn-bg:#3a2e12;
--video:#c3a6ff;--video-bg:#2e2347;--image:#6fe0e0;--image-bg:#163636;--neither:#a0a8b8;--neither-bg:#262a33}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.wrap{max-width:64rem;margin:0 auto;padding:0 1.25rem}
.top{background:var(--card);border-bottom:1px solid var(--line)}
.top .wrap{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-top:.8rem;padding-bottom:.8rem;flex-wrap:wrap}
.top h1{margin:0;font-size:1.3rem}
.top h1 a{color:inherit;text-decoration:none}
.who{color:var(--muted);font-size:.9rem;display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}
.inline{display:inline;margin:0}
.linkish{background:none;border:0;padding:0;color:var(--accent);font:inherit;cursor:pointer;text-decoration:underline}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin:1.1rem 0 .6rem;padding:.8rem 1rem;background:var(--card);border:1px solid var(--line);border-radius:10px}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.2rem}
.filters select,.filters input{font:inherit;font-size:.92rem;padding:.3rem .4rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.filters input{width:5.5rem}
.filters .buttons{display:flex;gap:.6rem;align-items:center}
.btn{font:inherit;font-size:.88rem;padding:.32rem .7rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer;display:inline-flex;align-items:center;gap:.35rem}
.btn:hover{border-color:var(--accent)}
.btn:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.btn.primary{background:var(--accent);border-color:var(--accent);color:#fff}
.btn[aria-pressed=true]{font-weight:600}
.btn.small{font-size:.8rem;padding:.15rem .5rem}
.coverage{margin-top:.6rem;font-size:.9rem}
.coverage>summary{cursor:pointer;color:var(--muted, #555)}
.coverage ul.reports{margin:.4rem 0;padding-left:1.1rem}
.coverage ul.reports li{margin:.2rem 0}
.coverage .outlet{font-weight:600}
.coverage form.merge{margin:.4rem 0}
.coverage form.edit{display:grid;gap:.35rem;margin:.4rem 0}
.coverage form.edit input,.coverage form.edit textarea{width:100%;font:inherit}
.btn.approve[aria-pressed=true]{background:var(--ok-bg);border-color:var(--ok);color:var(--ok)}
.btn.reject[aria-pressed=true]{background:var(--bad-bg);border-color:var(--bad);color:var(--bad)}
.btn.relabel[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
.btn.pin[aria-pressed=true]{background:var(--warn-bg);border-color:var(--warn);color:var(--warn)}
.btn:disabled{opacity:.5;cursor:progress}
kbd{font:11px/1 ui-monospace,SFMono-Regular,Menlo,monospace;padding:.15rem .32rem;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;background:var(--card);color:var(--muted)}
.btn kbd{background:transparent;color:inherit;opacity:.75}
.legend{font-size:.85rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;margin:.4rem 0 .8rem}
.legend span{white-space:nowrap}
.bar{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap;margin:.3rem 0 .6rem}
.count{color:var(--muted);font-size:.9rem;margin:0}
.flash{margin:0;font-size:.9rem;min-height:1.4em}
.flash.ok{color:var(--ok)}
.flash.error{color:var(--bad)}
.decided{margin:.2rem 0 1rem;display:flex;flex-direction:column;gap:.5rem}
.queue{display:flex;flex-direction:column;gap:.8rem;margin-bottom:1.2rem}
.story{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--line);border-radius:10px;padding:.85rem 1rem .9rem;outline:none}
.story.selected{border-color:var(--accent);border-left-color:var(--accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 18%,transparent)}
.story.settled{opacity:.62}
.story[aria-busy=true]{opacity:.5}
.story-head{display:flex;justify-content:space-between;gap:1rem;align-items:flex-start}
.story h2{margin:0;font-size:1.05rem;line-height:1.35}
.story h2 a{color:inherit;text-decoration:none}
.story h2 a:hover{text-decoration:underline}
.story h2 .ext{color:var(--muted);font-size:.8em;margin-left:.2rem}
.story-id{color:var(--muted);font-size:.8rem;white-space:nowrap}
.badges{display:flex;flex-wrap:wrap;gap:.35rem;margin:.45rem 0 .35rem}
.badge{display:inline-flex;align-items:center;gap:.3rem;font-size:.75rem;font-weight:600;padding:.1rem .5rem;border-radius:999px;background:var(--neither-bg);color:var(--neither);text-transform:uppercase;letter-spacing:.03em}
.badge.pending{background:var(--warn-bg);color:var(--warn)}
.badge.approved,.badge.published{background:var(--ok-bg);color:var(--ok)}
.badge.rejected{background:var(--bad-bg);color:var(--bad)}
.badge.unpublished{background:var(--neither-bg);color:var(--neither)}
.badge.pinned{background:var(--warn-bg);color:var(--warn)}
.badge.note{background:transparent;color:var(--muted);text-transform:none;font-weight:400;letter-spacing:0}
.lbl{font-weight:600;padding:.05rem .45rem;border-radius:5px;font-size:.85rem}
.lbl.video{background:var(--video-bg);color:var(--video)}
.lbl.image{background:var(--image-bg);color:var(--image)}
.lbl.neither{background:var(--neither-bg);color:var(--neither)}
.muted{color:var(--muted)}
.meta{color:var(--muted);font-size:.85rem;margin:0 0 .35rem}
.summary{margin:.1rem 0 .55rem;font-size:.93rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .8rem;margin:0 0 .7rem;font-size:.87rem;align-items:center}
.facts dt{color:var(--muted)}
.facts dd{margin:0;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
.conf{display:inline-flex;align-items:center;gap:.4rem;font-variant-numeric:tabular-nums}
.meter{display:inline-block;width:5rem;height:.45rem;border-radius:999px;background:var(--neither-bg);overflow:hidden}
.meter span{display:block;height:100%;background:var(--accent)}
.meter.low span{background:var(--warn)}
.term{font-size:.78rem;padding:.05rem .4rem;border-radius:4px;border:1px solid var(--line);color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem .9rem;align-items:center;border-top:1px solid var(--line);padding-top:.65rem}
.actions form{display:flex;gap:.35rem;align-items:center;margin:0}
.group-label{font-size:.8rem;color:var(--muted);margin-right:.1rem}
.empty{background:var(--card);border:1px dashed var(--line);border-radius:10px;padding:2rem;text-align:center;color:var(--muted)}
.pager{display:flex;justify-content:space-between;align-items:center;margin:0 0 3rem;font-size:.92rem}
.pager .off{color:var(--muted)}
dialog{border:1px solid var(--line);border-radius:12px;padding:1.2rem 1.4rem;background:var(--card);color:var(--fg);max-width:30rem}
dialog::backdrop{background:rgb(0 0 0 / .35)}
dialog h2{margin:0 0 .6rem;font-size:1.1rem}
dialog table{border-collapse:collapse;width:100%;font-size:.92rem;margin-bottom:.8rem}
dialog td{padding:.3rem .4rem;border-bottom:1px solid var(--line)}
dialog p{font-size:.88rem;color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.4rem 1.6rem;max-width:26rem;margin:4rem auto}
.card h1{margin:0 0 .4rem;font-size:1.35rem}
.card p{color:var(--muted);font-size:.92rem}
.card label{display:block;font-size:.88rem;margin:.8rem 0 .25rem}
.card input{width:100%;font:inherit;padding:.45rem .55rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.card .btn{margin-top:1.1rem}
.problem{background:var(--bad-bg);color:var(--bad);border-radius:6px;padding:.5rem .7rem;font-size:.9rem}
`;

/** Runs with the page's CSP nonce. Written without template literals so it can live in this TS string. */
export const REVIEW_SCRIPT = `
(function () {
  'use strict';
  var flash = document.getElementById('flash');
  var help = document.getElementById('help');
  var selected = null;

  function cards() { return Array.prototype.slice.call(document.querySelectorAll('article.story')); }

  function select(card, focus) {
    if (!card) return;
    if (selected && selected !== card) selected.classList.remove('selected');
    selected = card;
    card.classList.add('selected');
    if (focus) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: 'nearest' });
      // Keeps the place on reload without adding history entries.
      history.replaceState(null, '', '#' + card.id);
    }
  }

  function move(step) {
    var list = cards();
    if (list.length === 0) return;
    var index = list.indexOf(selected);
    var next = index < 0 ? list[0] : list[Math.min(list.length - 1, Math.max(0, index + step))];
    select(next, true);
  }

  function say(text, isError) {
    flash.textContent = text;
    flash.className = 'flash ' + (isError ? 'error' : 'ok');
  }

  function setBusy(card, busy) {
    card.setAttribute('aria-busy', busy ? 'true' : 'false');
    card.querySelectorAll('button').forEach(function (button) { button.disabled = busy; });
  }

  document.addEventListener('click', function (event) {
    var card = event.target.closest ? event.target.closest('article.story') : null;
    if (card) select(card, false);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList.contains('act')) return;
    event.preventDefault();
    var card = form.closest('article.story');
    var body = new URLSearchParams(new FormData(form));
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    setBusy(card, true);
    fetch(form.action, { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        if (result.status === 401) {
          location.assign('/review/login?next=' + encodeURIComponent(location.pathname + location.search));
          return;
        }
        if (result.status !== 200 || typeof result.data.html !== 'string') {
          setBusy(card, false);
          say(result.data.message || ('The action failed (HTTP ' + result.status + '); nothing was changed.'), true);
          return;
        }
        if (form.getAttribute('data-reload') === 'true' && typeof result.data.redirect === 'string') {
          location.assign(result.data.redirect);
          return;
        }
        var holder = document.createElement('div');
        holder.innerHTML = result.data.html;
        var fresh = holder.firstElementChild;
        var wasSelected = selected === card;
        card.replaceWith(fresh);
        if (wasSelected) { selected = null; select(fresh, true); }
        say(result.data.message, false);
        if (wasSelected && form.getAttribute('data-advance') === 'true') move(1);
      })
      .catch(function () {
        setBusy(card, false);
        say('Could not reach the server; nothing was changed. Try again.', true);
      });
  });

  var ACTION_KEYS = { a: true, r: true, v: true, i: true, n: true, p: true };

  function toggleHelp() {
    if (help.open) help.close(); else help.showModal();
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (target.closest && target.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]')) return;
    if (event.key === '?') { event.preventDefault(); toggleHelp(); return; }
    if (help.open) return;
    if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if (event.key === 'm' || event.key === 'e') {
      if (!selected) { say('Select a story first: press j, or click it.', true); return; }
      var field = selected.querySelector('[data-focus-key="' + event.key + '"]');
      if (!field) return;
      var box = field.closest('details');
      while (box) { box.open = true; box = box.parentElement ? box.parentElement.closest('details') : null; }
      field.focus();
      if (field.select) field.select();
    }
    else if (ACTION_KEYS[event.key]) {
      if (!selected) { say('Select a story first: press j, or click it.', true); return; }
      var button = selected.querySelector('button[data-key="' + event.key + '"]');
      if (button && !button.disabled) button.form.requestSubmit(button);
    } else return;
    event.preventDefault();
  });

  document.getElementById('help-open').addEventListener('click', function () { help.showModal(); });

  var initial = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (initial && initial.matches('article.story')) select(initial, true); else select(cards()[0], false);
})();
`;
