import { createHash } from 'node:crypto';

/** The site's one stylesheet, served from /assets/site.css so that the CSP needs no inline styles. */
export const siteCss = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #4b5563; --accent: #0b5cad; --error: #b42318; --panel: #f3f4f6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #15171a; --muted: #b0b7c3; --accent: #7cb7ff; --error: #ff8a80; --panel: #23262b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header.site { background: var(--accent); color: #fff; padding: .6rem 1rem; }
header.site a { color: #fff; font-weight: 700; text-decoration: none; }
@media (prefers-color-scheme: dark) { header.site { color: #111; } header.site a { color: #111; } }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .5rem 0 1rem; }
a { color: var(--accent); }
.countdown { background: var(--panel); border-radius: 8px; padding: .8rem 1rem; margin: 1rem 0; }
.countdown strong { font-size: 1.3rem; display: block; }
fieldset { border: 1px solid var(--muted); border-radius: 8px; margin: 1rem 0; padding: .6rem 1rem; }
legend { font-weight: 700; padding: 0 .3rem; }
label { display: block; font-weight: 600; margin: .8rem 0 .3rem; }
fieldset label, label.check { font-weight: 400; display: flex; gap: .5rem; align-items: flex-start; margin: .4rem 0; }
input[type=email], input[type=text], select { width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid var(--muted); border-radius: 6px; background: var(--bg); color: var(--fg); }
input[type=checkbox] { width: 1.2rem; height: 1.2rem; margin-top: .2rem; flex: none; }
button { font: inherit; font-weight: 700; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; margin: .6rem 0; }
@media (prefers-color-scheme: dark) { button { color: #111; } }
button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
.error { color: var(--error); font-weight: 600; margin: .2rem 0; }
.error-summary { border: 2px solid var(--error); border-radius: 8px; padding: .6rem 1rem; margin: 1rem 0; }
.status-done { color: var(--muted); }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.trap { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
footer.site { max-width: 40rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .9rem; }
header.site { display: flex; justify-content: space-between; gap: 1rem; }
header.site nav a { font-weight: 400; text-decoration: underline; }
.campaign { margin: .6rem 0 1.2rem; }
.campaign h2 { font-size: 1.2rem; margin: .8rem 0 .3rem; }
.campaign { overflow-wrap: anywhere; border-top: 1px solid var(--muted); padding-top: .2rem; }
.campaign h3 { font-size: 1rem; margin: .8rem 0 .2rem; }
.campaign ol { padding-left: 1.4rem; }
fieldset.group { border: 2px solid var(--panel); padding: .3rem .8rem; }
details summary { cursor: pointer; font-weight: 600; color: var(--accent); }
.notice { background: var(--panel); border-left: 4px solid var(--accent); padding: .6rem .8rem; }
.skip { position: absolute; left: -10000px; }
.skip:focus { position: static; display: block; padding: .5rem 1rem; }
fieldset { min-width: 0; }
.offer { margin: .4rem 0 1rem; overflow-wrap: anywhere; }
.offer label.check { margin-bottom: 0; }
.offer .name, .platform-row h3, .platform-row h4 { font-weight: 700; }
.offer > p, .offer > details { margin: .15rem 0 .15rem 1.7rem; }
.countdown.today { background: none; padding: 0; border-radius: 0; }
.countdown.today strong { display: inline; font-size: 1rem; }
.platform-list { list-style: none; padding: 0; }
.platform-row { border-top: 1px solid var(--muted); padding: .5rem 0; overflow-wrap: anywhere; }
.platform-row h3, .platform-row h4 { margin: .2rem 0; font-size: 1.1rem; }
.platform-row .status { margin: .2rem 0; }
.platform-row .buttons { display: flex; flex-wrap: wrap; gap: 0 .8rem; align-items: flex-end; }
.address { overflow-wrap: anywhere; }
`;

/**
 * The form's only script: fills in the browser's time zone and shows each campaign's deadline
 * and days left in it, with the words and date style the page gives in its data attributes.
 * Inline and allowed by its hash in the CSP, so the page needs no second request.
 */
export const timeZoneScript = `(function(){try{
var zone=Intl.DateTimeFormat().resolvedOptions().timeZone;if(!zone)return;
var field=document.getElementById('timezone');
if(field&&field.getAttribute('data-filled')!=='user')field.value=zone;
var day=function(d){return Date.parse(new Intl.DateTimeFormat('en-CA',{timeZone:zone}).format(d))};
document.querySelectorAll('.countdown').forEach(function(box){
var el=box.querySelector('[data-deadline]');if(!el)return;
var deadline=new Date(el.getAttribute('data-deadline'));var now=new Date(el.getAttribute('data-now'));
var last=new Date(deadline.getTime()-60000);
el.textContent=last.toLocaleString(box.getAttribute('data-intl')||'en-GB',{weekday:'long',day:'numeric',month:'long',year:'numeric',hour:'2-digit',minute:'2-digit',timeZone:zone})+' ('+zone+')';
var left=Math.round((day(last)-day(now))/864e5);var count=box.querySelector('[data-days-left]');
if(count&&now<deadline)count.textContent=left>1?box.getAttribute('data-many').replace('{n}',left):left===1?box.getAttribute('data-one'):box.getAttribute('data-last');
});
}catch(e){}})();`;

export const timeZoneScriptHash = `'sha256-${createHash('sha256').update(timeZoneScript).digest('base64')}'`;
