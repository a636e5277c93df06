// A learner who knows nothing of lmspack's markup: only roles and accessible names, as a person
// or a screen reader user meets the page. On each page it answers what it sees (in every group
// that has a "Check answer" button: the first radio, the first checkbox, "library" in an empty
// text box, the first real option of each combobox, one press of a "Move down: …" button), presses
// "Check answer", then "Next"; on the page headed "Your results" it presses "Finish".
//
// The contract it relies on (issue 18): buttons "Previous" / "Next"; a progressbar named
// "Progress"; each question a group whose button is "Check answer", renamed "Try again" or "Answer
// checked" (aria-disabled) once checked, with one verdict line starting "Correct." or "Not quite.";
// sequencing with "Move up: <item>" / "Move down: <item>" buttons; a results page headed "Your
// results" with a "Still to do" list and "Finish"; after Finish a status "You can now close this
// window"; a polite status banner "… could not be saved … retrying" while the LMS refuses writes;
// a status "Welcome back …" on resume.

const VERDICT = /^(Correct\.|Not quite\.)/;
const norm = (t) => String(t || '').replace(/\s+/g, ' ').trim();
const CHECKED = /^(Try again|Answer checked)$/;

/** The visible level-1 heading's text ('' while none or several are visible). */
export async function heading(frame) {
  const h = frame.getByRole('heading', { level: 1 });
  const n = await h.count();
  return n === 1 ? (await h.textContent()).replace(/\s+/g, ' ').trim() : '';
}

/** Waits until the module shows one page (one visible level-1 heading). */
export async function onePage(frame, timeout = 10_000) {
  const h = frame.getByRole('heading', { level: 1 });
  for (const end = Date.now() + timeout; ;) {
    if ((await h.count().catch(() => 0)) === 1) return heading(frame);
    if (Date.now() > end) throw new Error(`the module in ${frame.url()} never showed one page (level-1 headings: ${await h.count().catch(() => '?')})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Texts of the status messages (role status) that are not empty. */
export async function statuses(frame) {
  const all = frame.getByRole('status');
  const out = [];
  for (let i = 0, n = await all.count(); i < n; i++) {
    const t = ((await all.nth(i).textContent()) || '').replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
  }
  return out;
}

/** The progressbar named "Progress": { now, min, max } (null when there is none). */
export async function progress(frame) {
  const bar = frame.getByRole('progressbar', { name: 'Progress', exact: true });
  if ((await bar.count()) !== 1) return null;
  return bar.evaluate((el) => {
    const n = (a, d) => (el.hasAttribute(a) ? Number(el.getAttribute(a)) : d);
    // A native <progress> exposes value/max; an ARIA one aria-valuenow/min/max.
    if (el.tagName === 'PROGRESS') return { now: el.value, min: 0, max: el.max };
    return { now: n('aria-valuenow', NaN), min: n('aria-valuemin', 0), max: n('aria-valuemax', 100) };
  });
}

/** Role and name of the element an accessibility snapshot (Playwright's YAML) shows for `loc`. */
export async function roleAndName(loc) {
  let line = ((await loc.ariaSnapshot().catch(() => '')).split('\n')[0] || '').replace(/^- /, '').replace(/:$/, '');
  // A key with ": " or quotes in it is itself single-quoted YAML ('' for ').
  if (line.startsWith("'")) line = line.slice(1, line.lastIndexOf("'")).replace(/''/g, "'");
  const m = /^([\w-]+)(?: "((?:[^"\\]|\\.)*)")?(.*)$/.exec(line);
  return m ? { role: m[1], name: (m[2] || '').replace(/\\(.)/g, '$1'), disabled: /\[disabled\]/.test(m[3]) } : { role: '', name: '', disabled: false };
}

async function buttonName(loc) {
  const r = await roleAndName(loc);
  return r.role === 'button' ? r.name : '';
}

export class GenericLearner {
  /** `frame`: the frame the module runs in. `log(step)` sees every step it takes. */
  constructor(frame, { log = () => {}, text = 'library' } = {}) {
    this.frame = frame;
    this.log = log;
    this.text = text;
    this.checks = [];      // { t, page, group, verdict, button }
    this.pages = [];       // headings in the order seen
    this.progress = [];    // progress values in the order seen
    this.seq = 0;
  }

  /** Answers every group that has a "Check answer" button on the current page and checks it. */
  async answerPage() {
    const f = this.frame;
    const page = await heading(f);
    const done = [];
    for (let round = 0; round < 5; round++) {
      const plan = await this.plan();
      if (!plan.length) break;
      for (const p of plan) {
        const b = f.locator(`[data-generic-learner="${p.b}"]`);
        if ((await buttonName(b)) !== 'Check answer') continue;
        const g = p.g ? f.locator(`[data-generic-learner="${p.g}"]`) : null;
        const { name } = g ? await roleAndName(g) : { name: '' };
        if (g) await this.answerGroup(g);
        const t = Date.now();
        await b.click();
        await b.and(f.getByRole('button', { name: CHECKED })).waitFor({ timeout: 5_000 }).catch(async () => {
          throw new Error(`"${page}": "Check answer" for "${name.slice(0, 60)}" did nothing (the button now: "${await buttonName(b)}")`);
        });
        const after = await roleAndName(b);
        const entry = { t, page, group: name, button: after.name, disabled: after.disabled, verdicts: null, mark: p.g };
        this.checks.push(entry);
        done.push(entry);
      }
      if (round === 4) throw new Error(`"${page}": "Check answer" buttons never ran out`);
    }
    // The verdict lines of each question checked here, read once the page is done.
    const v = await verdicts(f, done.map((e) => e.mark));
    done.forEach((e, i) => { e.verdicts = v[i]; delete e.mark; this.log({ check: e }); });
  }

  /** The "Check answer" buttons now shown, each with the question group it checks: the group that
   *  holds it, else the last group before it in reading order (a group inside a group is part of
   *  it). Both are marked with data-generic-learner (this learner's own notes, to find them again). */
  async plan() {
    const f = this.frame;
    const bs = await f.getByRole('button', { name: 'Check answer', exact: true }).elementHandles();
    if (!bs.length) return [];
    const gs = await f.getByRole('group').elementHandles();
    const seq = this.seq;
    const out = await f.evaluate(([groups, buttons, n]) => {
      const FOLLOWS = Node.DOCUMENT_POSITION_FOLLOWING;
      const mark = (el) => el.getAttribute('data-generic-learner') || (el.setAttribute('data-generic-learner', `gl-${++n}`), `gl-${n}`);
      const res = buttons.map((bt) => {
        let best = -1;
        groups.forEach((g, i) => {
          if (g.contains(bt) || (g.compareDocumentPosition(bt) & FOLLOWS)) {
            if (best < 0 || !groups[best].contains(g)) best = i;
          }
        });
        return { b: mark(bt), g: best >= 0 ? mark(groups[best]) : null };
      });
      return { res, n };
    }, [gs, bs, seq]);
    this.seq = out.n;
    await Promise.all([...gs, ...bs].map((h) => h.dispose()));
    return out.res;
  }

  /** What a hurried learner does in a question group (what is in it: from its accessibility tree):
   *  the first option of each set of radio buttons, the first checkbox, "library" in each empty text
   *  box, the first real option of each combobox, one "Move down: …" press. */
  async answerGroup(g) {
    const snap = await g.ariaSnapshot();
    const has = (role) => new RegExp(`^\\s*- '?${role}\\b`, 'm').test(snap);
    if (has('radio')) {
      // The first option of each set of radio buttons (a matching question may hold one set per item).
      const radios = g.getByRole('radio');
      const sets = await radios.evaluateAll((rs) => rs.map((r) => r.name || r.closest('[role=radiogroup]')?.id || ''));
      const firsts = sets.map((n, i) => (sets.indexOf(n) === i || n === '' && i === 0 ? i : -1)).filter((i) => i >= 0);
      for (const i of firsts) await radios.nth(i).check();
    }
    if (has('checkbox')) await g.getByRole('checkbox').first().check();
    if (has('textbox')) {
      const texts = g.getByRole('textbox');
      for (let i = 0, n = await texts.count(); i < n; i++) {
        const tb = texts.nth(i);
        if (!(await tb.inputValue())) await tb.fill(this.text);
      }
    }
    if (has('combobox')) {
      const combos = g.getByRole('combobox');
      for (let i = 0, n = await combos.count(); i < n; i++) {
        const cb = combos.nth(i);
        const opts = await cb.evaluate((s) => (s.options ? [...s.options].map((o) => ({ v: o.value, d: o.disabled })) : null));
        if (opts) {
          // The first real option: not the "Choose…" placeholder (no value) nor a disabled one.
          const k = opts.findIndex((o) => !o.d && o.v !== '');
          if (k >= 0) await cb.selectOption({ index: k });
        } else {
          await cb.click();
          await this.frame.getByRole('option').first().click();
        }
      }
    }
    if (/button "Move down: /.test(snap)) {
      const down = g.getByRole('button', { name: /^Move down: / });
      for (let i = 0, n = await down.count(); i < n; i++) {
        if (await down.nth(i).isEnabled()) { await down.nth(i).click(); break; }
      }
    }
  }

  async readProgress() {
    const p = await progress(this.frame);
    this.progress.push(p);
    return p;
  }

  /** Presses "Next" and waits for another page heading. */
  async next() {
    const f = this.frame;
    const before = await heading(f);
    const btn = f.getByRole('button', { name: 'Next', exact: true });
    if ((await btn.count()) !== 1) throw new Error(`"${before}": no single "Next" button`);
    if (!(await btn.isEnabled())) throw new Error(`"${before}": "Next" is disabled`);
    await btn.click();
    for (const end = Date.now() + 5_000; Date.now() < end;) {
      const h = await heading(f);
      if (h && h !== before) { this.pages.push(h); this.log({ page: h }); return h; }
      await f.waitForTimeout(25);
    }
    throw new Error(`"${before}": "Next" did not lead to another page (statuses: ${JSON.stringify(await statuses(f))})`);
  }

  /** Answers and moves on until the page headed "Your results" (at most `maxPages` pages). */
  async playToResults({ maxPages = 40, onPage } = {}) {
    let h = await heading(this.frame);
    if (!this.pages.length) this.pages.push(h);
    for (let i = 0; i < maxPages; i++) {
      if (h === 'Your results') return this.results();
      if (onPage) await onPage(h, this);
      await this.readProgress();
      await this.answerPage();
      h = await this.next();
    }
    throw new Error(`no "Your results" page after ${maxPages} pages: ${this.pages.join(' | ')}`);
  }

  /** Presses "Next" on every page, answering nothing, until "Your results". */
  async skimToResults({ maxPages = 40 } = {}) {
    let h = await heading(this.frame);
    if (!this.pages.length) this.pages.push(h);
    for (let i = 0; i < maxPages && h !== 'Your results'; i++) h = await this.next();
    if (h !== 'Your results') throw new Error(`no "Your results" page after ${maxPages} pages`);
    return this.results();
  }

  /** What the results page says: its visible text, the links listed under "Still to do". */
  async results() {
    const f = this.frame;
    await this.readProgress();
    const main = f.getByRole('main');
    const text = norm(await ((await main.count()) === 1 ? main : f.locator('body')).innerText());
    const head = f.getByRole('heading', { name: 'Still to do' });
    let todo = [];
    if ((await head.count()) === 1) {
      // The links that follow the heading in reading order, up to the next heading.
      todo = await head.evaluate((h, n) => {
        const isHeading = (el) => /^H[1-6]$/.test(el.tagName) || el.getAttribute('role') === 'heading';
        const out = [];
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
        w.currentNode = h;
        for (let el = w.nextNode(); el; el = w.nextNode()) {
          if (h.contains(el)) continue;
          if (isHeading(el)) break;
          if (el.closest('[hidden]')) continue;
          if ((el.tagName === 'A' && el.hasAttribute('href')) || el.getAttribute('role') === 'link') {
            el.setAttribute('data-generic-learner', `todo-${n}-${out.length}`);
            out.push({ text: el.textContent.replace(/\s+/g, ' ').trim(), mark: `todo-${n}-${out.length}` });
          }
        }
        return out;
      }, ++this.seq);
    }
    this.todo = todo;
    return { text, todo: todo.map((x) => x.text), hasTodoHeading: (await head.count()) === 1 };
  }

  /** On the results page: follows each "Still to do" link, answers what is there, and comes back
   *  to the results with "Next"; until nothing is left (at most `rounds` times). */
  async completeTodo({ rounds = 3 } = {}) {
    let res = await this.results();
    for (let r = 0; r < rounds && this.todo.length; r++) {
      for (const item of this.todo) {
        if (await heading(this.frame) === 'Your results') {
          const link = this.frame.locator(`[data-generic-learner="${item.mark}"]`);
          if (!(await link.count())) continue;
          const before = await heading(this.frame);
          await link.click();
          for (const end = Date.now() + 5_000; Date.now() < end && (await heading(this.frame)) === before;) await this.frame.waitForTimeout(25);
          this.log({ todo: item.text, page: await heading(this.frame) });
        }
        await this.answerPage();
        // Back to the results, answering anything on the way.
        for (let i = 0; i < 40 && (await heading(this.frame)) !== 'Your results'; i++) {
          await this.next();
          if ((await heading(this.frame)) !== 'Your results') await this.answerPage();
        }
        break;   // the list changed: read it again
      }
      res = await this.results();
    }
    return res;
  }

  /** Presses "Finish" on the results page (and only that). */
  async pressFinish() {
    const btn = this.frame.getByRole('button', { name: 'Finish', exact: true });
    if ((await btn.count()) !== 1) throw new Error('no single "Finish" button on the results page');
    this.finishedAt = Date.now();
    await btn.click();
    return this.finishedAt;
  }

  /** Presses "Finish" on the results page; waits for "You can now close this window" (or, with
   *  `leaves`, for the frame to go to another document: the LMS moved on). Returns the status. */
  async finish({ leaves = false, timeout = 5_000 } = {}) {
    const f = this.frame;
    const url = f.url();
    const t = await this.pressFinish();
    for (const end = t + timeout; Date.now() < end;) {
      if (leaves && f.url() !== url) return { left: true };
      const st = await statuses(f).catch(() => []);
      const done = st.find((s) => /You can now close this window/.test(s));
      if (done) return { status: done };
      await f.waitForTimeout(25);
    }
    throw new Error(`after "Finish": no status "You can now close this window" (statuses: ${JSON.stringify(await statuses(f).catch(() => []))})`);
  }
}

/** For each group marked `marks[i]`: the visible verdict lines ("Correct." / "Not quite.") between
 *  it and the next group in reading order. */
async function verdicts(f, marks) {
  if (!marks.length) return [];
  const lines = await f.getByText(VERDICT).filter({ visible: true }).elementHandles();
  const groups = await f.getByRole('group').elementHandles();
  const out = await f.evaluate(([ms, gs, vs]) => {
    const FOLLOWS = Node.DOCUMENT_POSITION_FOLLOWING;
    return ms.map((m) => {
      const own = m && document.querySelector(`[data-generic-learner="${m}"]`);
      if (!own) return [];
      const next = gs.find((x) => x !== own && !own.contains(x) && !x.contains(own) && (own.compareDocumentPosition(x) & FOLLOWS));
      return vs.filter((v) => (own.contains(v) || (own.compareDocumentPosition(v) & FOLLOWS)) &&
        (!next || (v.compareDocumentPosition(next) & FOLLOWS)))
        .map((v) => v.textContent.replace(/\s+/g, ' ').trim());
    });
  }, [marks, groups, lines]);
  await Promise.all([...lines, ...groups].map((h) => h.dispose()));
  return out;
}

export { VERDICT, CHECKED };
