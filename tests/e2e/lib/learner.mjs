// A keyboard-only learner (Tab, Shift+Tab, Enter, Space, arrow keys and typing) and the
// independent oracle of what the LMS must then hold for each answer.

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export class Learner {
  constructor(sco, frame) { this.kb = sco.keyboard; this.sco = sco; this.frame = frame; this.tabs = 0; }

  active(sel) {
    return this.frame.evaluate((s) => !!document.activeElement && document.activeElement !== document.body &&
      document.activeElement.matches(s), sel);
  }

  /** Presses Tab until the focused element matches `sel` (fails after `max` presses). */
  async tabTo(sel, max = 400) {
    if (await this.active(sel)) return;
    for (let i = 0; i < max; i++) {
      await this.kb.press('Tab');
      this.tabs++;
      if (await this.active(sel)) return;
    }
    throw new Error(`keyboard: ${max} Tab presses never reached ${sel}`);
  }

  async press(key) { await this.kb.press(key); }

  /** Radio group `name`: Tab into it, arrow to the option with `value`, Space to pick it. */
  async radio(name, value) {
    await this.tabTo(`input[name="${name}"]`);
    for (let i = 0; i < 30; i++) {
      if (await this.active(`input[name="${name}"][value="${value}"]`)) { await this.kb.press('Space'); break; }
      await this.kb.press('ArrowDown');
    }
    const ok = await this.frame.evaluate(([n, v]) => document.querySelector(`input[name="${n}"][value="${v}"]`).checked, [name, String(value)]);
    if (!ok) throw new Error(`keyboard: could not check radio ${name}=${value}`);
  }

  async checkbox(id) {
    await this.tabTo(`#${id}`);
    await this.kb.press('Space');
    if (!(await this.frame.evaluate((i) => document.getElementById(i).checked, id))) throw new Error(`keyboard: checkbox ${id} not checked`);
  }

  /** Sequencing: moves `item` of question `qid` up to place `pos` with its Move up button (Enter;
   *  the focus stays on the button as the item moves). Places before `pos` are already done, so
   *  the item is further down and Tab reaches it. */
  async moveTo(qid, item, pos) {
    const sel = `#${qid} li[data-item="${item}"] .lp-up`;
    const place = () => this.frame.evaluate((s) => { const li = document.querySelector(s).closest('li'); return [...li.parentNode.children].indexOf(li); }, sel);
    let k = await place();
    if (k === pos) return;
    await this.tabTo(sel);
    for (; k > pos; k--) await this.kb.press('Enter');
    if ((await place()) !== pos) throw new Error(`keyboard: item ${item} of ${qid} is not in place ${pos + 1}`);
  }

  async type(sel, text) {
    await this.tabTo(sel);
    if (text.length > 200) await this.kb.insertText(text); else await this.kb.type(text);
  }

  /** Activates the Next button; checks the new page is shown and its heading has the focus. */
  async next() {
    const before = await this.current();
    await this.tabTo('#lp-next');
    await this.kb.press(this.tabs % 2 ? 'Enter' : 'Space');
    await this.frame.waitForFunction((b) => document.querySelector('.lp-page:not([hidden])').dataset.page !== String(b), before);
    const ok = await this.frame.evaluate(() => document.activeElement === document.querySelector('.lp-page:not([hidden]) h1'));
    if (!ok) throw new Error('focus did not move to the new page heading');
  }

  current() { return this.frame.evaluate(() => Number(document.querySelector('.lp-page:not([hidden])').dataset.page)); }
}

/** The answer a learner gives to question `q` (right or wrong), in the runtime's terms plus
 *  what the SCORM interaction must then say. `domRights` is unused for choice kinds. */
export function plannedAnswer(q, right) {
  const n = q.count;
  switch (q.kind) {
    case 'single-choice': {
      const a = right ? q.correct[0] : [...Array(n).keys()].find((i) => !q.correct.includes(i));
      return { a, correct: right, r12: LETTERS[a], r04: LETTERS[a] };
    }
    case 'multiple-choice': {
      let a = q.correct.slice();
      if (!right) {
        const extra = [...Array(n).keys()].find((i) => !q.correct.includes(i));
        a = extra === undefined ? a.slice(1) : [...a, extra].sort((x, y) => x - y);
      }
      return { a, correct: right, r12: a.map((i) => LETTERS[i]).join(','), r04: a.map((i) => LETTERS[i]).join('[,]'), set: true };
    }
    case 'true-false': {
      const val = right ? q.answer : !q.answer; // option 0 is "True"
      return { a: val ? 0 : 1, correct: right, r12: val ? 't' : 'f', r04: String(val) };
    }
    case 'fill-in': {
      const t = right ? q.answers[0] : 'not the answer';
      return { a: t, correct: right, r12: t, r04: t };
    }
    case 'matching': {
      const a = q.correct.slice();
      if (!right) [a[0], a[1]] = [a[1], a[0]];
      return { a, correct: right, r12: a.map((r, l) => `${l}.${LETTERS[r]}`).join(','), r04: a.map((r, l) => `${l}[.]${LETTERS[r]}`).join('[,]') };
    }
    case 'sequencing': {
      const a = q.correct.slice();
      if (!right) [a[0], a[1]] = [a[1], a[0]];
      return { a, correct: right, r12: a.map((i) => LETTERS[i]).join(','), r04: a.map((i) => LETTERS[i]).join('[,]') };
    }
    case 'likert': {
      const a = Math.min(3, n - 1);
      return { a, correct: null, r12: String(a + 1), r04: String(a + 1) };
    }
    default: throw new Error('unknown question kind ' + q.kind);
  }
}

/** The correct_responses patterns the interaction of `q` must carry. */
export function expectedPatterns(q, v12) {
  const list = v12 ? ',' : '[,]', dot = v12 ? '.' : '[.]';
  switch (q.kind) {
    case 'single-choice': case 'multiple-choice': case 'sequencing':
      return [q.correct.map((i) => LETTERS[i]).join(list)];
    case 'true-false': return [v12 ? (q.answer ? 't' : 'f') : String(q.answer)];
    case 'fill-in': return q.answers.slice(0, 5).map((t) => (!v12 && q.case_sensitive ? '{case_matters=true}' : '') + t);
    case 'matching': return [q.correct.map((r, l) => `${l}${dot}${LETTERS[r]}`).join(list)];
    default: return [];
  }
}

/** Answers question `i` of `data` with the keyboard and presses its Check button. */
export async function answer(L, data, i, right) {
  const q = data.questions[i];
  const p = plannedAnswer(q, right);
  const id = `b-${q.id}`;
  switch (q.kind) {
    case 'single-choice': case 'true-false': case 'likert':
      await L.radio(id, p.a); break;
    case 'multiple-choice':
      for (const o of p.a) await L.checkbox(`${id}-o${o}`);
      break;
    case 'fill-in':
      await L.type(`#${id}-text`, p.a);
      await L.press('Enter');            // Enter in the text box checks the answer
      break;
    case 'matching':
      for (let l = 0; l < p.a.length; l++) await L.radio(`${id}-m${l}`, p.a[l]);
      break;
    case 'sequencing':
      for (let pos = 0; pos < p.a.length; pos++) await L.moveTo(id, p.a[pos], pos);
      break;
  }
  if (q.kind !== 'likert' && q.kind !== 'fill-in') {
    await L.tabTo(`#${id} .lp-check`);
    await L.press(i % 2 ? 'Space' : 'Enter');
  }
  if (q.kind !== 'likert') {
    const verdict = await L.frame.evaluate((s) => document.querySelector(s).textContent, `#${id} .lp-feedback`);
    const want = right ? 'Correct.' : 'Not quite.';
    if (!verdict.startsWith(want)) throw new Error(`${q.id}: feedback "${verdict.slice(0, 60)}", wanted "${want}"`);
  }
  return { i, q, ...p };
}

/** Expected score (0–100, 2 decimals) and whether every scored question is answered. */
export function expectedScore(data, answered) {
  let total = 0, got = 0, all = true;
  data.questions.forEach((q, i) => {
    if (!q.scored) return;
    total += q.weight;
    const a = answered.find((x) => x.i === i);
    if (!a) all = false; else if (a.correct) got += q.weight;
  });
  return { score: total ? Math.round(10000 * got / total) / 100 : null, all };
}

/** Works through the non-question blocks of page `p`: types into reflections and action plans
 *  (`text(id, field)` gives the text), takes the first choice of each scenario. Returns what it did. */
export async function doBlocks(L, data, p, text = (id, f) => `My notes for ${id}${f === undefined ? '' : ' #' + f}.`) {
  const done = [];
  for (const b of data.blocks.filter((x) => x.page === p)) {
    const id = `b-${b.id}`;
    if (b.kind === 'reflection') {
      const t = text(b.id);
      await L.type(`#${id}-text`, t);
      done.push({ b, value: t });
    } else if (b.kind === 'action-plan') {
      const vals = [];
      for (let f = 0; f < b.fields.length; f++) {
        const t = text(b.id, f);
        await L.type(`#${id} textarea[data-field="${f}"]`, t);
        vals.push(t);
      }
      done.push({ b, value: vals });
    } else if (b.kind === 'scenario') {
      await L.tabTo(`#${id} .lp-step:not([hidden]) .lp-choice`);
      const label = await L.frame.evaluate(() => document.activeElement.textContent.trim());
      await L.press('Enter');
      const ok = await L.frame.evaluate((s) => document.activeElement === document.querySelector(s), `#${id} .lp-consequence`);
      if (!ok) throw new Error(`scenario ${b.id}: focus did not move to the consequence`);
      done.push({ b, value: label });
    }
  }
  return done;
}

/** The learner-visible state of question `q` (what the inputs show, the feedback, locked or not). */
export function questionState(frame, q) {
  return frame.evaluate((id) => {
    const el = document.getElementById(id);
    // Ticked boxes by option index (their order on screen is the learner's shuffled one); radio
    // groups in their order on screen (matching: one group per item, in item order).
    const checked = [...el.querySelectorAll('input[type=radio],input[type=checkbox]')].filter((x) => x.checked).map((x) => Number(x.value));
    if (el.querySelector('input[type=checkbox]')) checked.sort((a, b) => a - b);
    const text = el.querySelector('input[type=text]');
    const order = [...el.querySelectorAll('.lp-seq-item')].map((li) => Number(li.dataset.item));
    const fb = el.querySelector('.lp-feedback');
    return {
      checked, text: text ? text.value : null, order,
      feedback: fb ? fb.textContent : null,
      locked: [...el.querySelectorAll('input,.lp-seq button')].every((x) => x.disabled),
    };
  }, `b-${q.id}`);
}

/** What questionState must show after answer `p` (from plannedAnswer) was given. */
export function expectedState(q, p) {
  switch (q.kind) {
    case 'single-choice': case 'true-false': case 'likert': return { checked: [p.a] };
    case 'multiple-choice': return { checked: p.a };
    case 'fill-in': return { text: p.a };
    case 'matching': return { checked: p.a }; // one radio group per item, in item order
    case 'sequencing': return { order: p.a };
  }
  return {};
}

/** Plays every page: answers every question (the first scored one wrong), does the blocks.
 *  `onPage(p)` runs as page p is reached. Returns the answers given. */
export async function playAll(L, data, onPage) {
  const answered = [];
  const firstScored = data.questions.findIndex((q) => q.scored);
  for (let p = 0; p < data.pages.length; p++) {
    if (onPage) onPage(p);
    for (const [i, q] of data.questions.entries()) if (q.page === p) answered.push(await answer(L, data, i, i !== firstScored));
    await doBlocks(L, data, p);
    if (p < data.pages.length - 1) await L.next();
  }
  return answered;
}
