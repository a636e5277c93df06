// A mock cmi5 LMS (and the LRS it fronts) for the AU conformance tests, served by lib/server.mjs on
// 127.0.0.1. It launches AUs as an LMS would (launch URL, one-time fetch URL, LMS.LaunchData,
// learner preferences, statements / state / agent profile endpoints) and checks every request the
// AU makes against the cmi5 AU rules. Each check is labelled with its requirement id from the npm
// package @cmi5/requirements (CATAPULT's ids); every statement also goes through
// @learninglocker/xapi-validation.
//
//   /cmi5/fetch/<session>      the fetch URL (POST, once)
//   /cmi5/lrs/...              the xAPI endpoint (statements, activities/state, agents/profile)
//   /cmi5/returned             the returnURL page
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

const require = createRequire(import.meta.url);
const REQUIREMENTS = require('@cmi5/requirements/requirements.json');
const xapiValidation = require('@learninglocker/xapi-validation');
const validateStatement = xapiValidation.default || xapiValidation;

const CAT = 'https://w3id.org/xapi/cmi5/context/categories/';
const EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';
const V = 'http://adlnet.gov/expapi/verbs/';
const DEFINED = ['initialized', 'completed', 'passed', 'failed', 'terminated'].map((v) => V + v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DURATION = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export class Cmi5Lms {
  constructor() {
    this.sessions = new Map();       // session id -> session
    this.byToken = new Map();        // auth token -> session
    this.registrations = new Map();  // registration -> { completed, passed, failed }
    this.state = new Map();          // state key -> document text
    this.stored = new Map();         // statement id -> statement
    this.violations = [];
    this.checked = new Set();        // requirement ids checked at least once
    this.validated = 0;              // statements run through xapi-validation
    this.redelivered = 0;            // identical statements posted again (retries)
    this.failStatements = 0;         // answer the next n statement POSTs with 503 (network trouble)
    this.failedPosts = 0;
    this.origin = null;
  }

  /** Records one check of requirement `id`; a failed check is a violation. */
  check(id, ok, message) {
    if (!REQUIREMENTS[id]) throw new Error(`unknown cmi5 requirement id ${id}`);
    this.checked.add(id);
    if (!ok) this.violations.push(`${id}: ${message} (${REQUIREMENTS[id].txt.slice(0, 100)})`);
    return ok;
  }

  /** A new launch of the AU `auId` (the publisher id from cmi5.xml) at `url` (package path).
   *  `registration` continues an enrolment; the activityId is the LMS's own, per registration. */
  launch({ url, auId, moveOn = 'Completed', masteryScore, mode = 'Normal', registration, returnURL = true, prefs = true }) {
    const reg = registration || crypto.randomUUID();
    if (!this.registrations.has(reg)) this.registrations.set(reg, { completed: false, passed: false, failed: false, activityId: `https://lms.test/activities/${crypto.randomUUID()}` });
    const r = this.registrations.get(reg);
    const id = crypto.randomUUID();
    const actor = { objectType: 'Agent', account: { homePage: 'https://lms.test', name: 'learner-' + reg.slice(0, 8) }, name: 'A Learner' };
    const s = {
      id, reg, actor, activityId: r.activityId, auId, mode, masteryScore, token: crypto.randomBytes(12).toString('hex'),
      fetches: 0, prefsRead: false, statements: [], verbs: new Set(), initialized: false, terminated: false, lastStamp: '',
    };
    s.launchData = {
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: auId }] },
        extensions: { [EXT + 'sessionid']: id },
      },
      launchMode: mode, moveOn,
      ...(masteryScore !== undefined ? { masteryScore } : {}),
      // returnURL: true for the LMS's own page, a string to launch with that one as it is.
      ...(returnURL ? { returnURL: typeof returnURL === 'string' ? returnURL : `${this.origin}/cmi5/returned?session=${id}` } : {}),
      launchParameters: '',
    };
    s.prefs = prefs;
    this.sessions.set(id, s);
    this.byToken.set('Basic ' + s.token, s);
    // Launch parameters in a different order each time (8.1.0.0-7: the AU must accept any order).
    const params = [
      ['endpoint', `${this.origin}/cmi5/lrs`], ['fetch', `${this.origin}/cmi5/fetch/${id}`],
      ['actor', JSON.stringify(actor)], ['registration', reg], ['activityId', r.activityId],
    ].sort(() => crypto.randomInt(3) - 1);
    this.checked.add('8.1.0.0-7');
    return { session: s, url: `${this.origin}${url}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` };
  }

  /** The session's statements as stored, in arrival order. */
  statements(s) { return s.statements; }

  /** End-of-session checks (after the AU has gone). */
  finish(s) {
    this.check('8.2.1.0-2', s.fetches === 1, `the AU posted to the fetch URL ${s.fetches} times (exactly once expected)`);
    this.check('11.0.0.0-3', s.prefsRead, 'learner preferences never read');
    this.check('7.1.1.0-1', s.initialized, 'no initialized statement');
    this.check('9.3.8.0-1', s.terminated, 'no terminated statement');
    this.check(s.mode === 'Normal' ? '10.2.2.0-6' : s.mode === 'Browse' ? '10.2.2.0-8' : '10.2.2.0-10', s.initialized && s.terminated,
      `${s.mode}: initialized and terminated expected`);
    if (s.mode !== 'Normal') {
      const judged = ['completed', 'passed', 'failed'].some((v) => s.verbs.has(V + v));
      this.check(s.mode === 'Browse' ? '10.2.2.0-2' : '10.2.2.0-3', !judged, `${s.mode}: satisfaction-related statements`);
      this.check(s.mode === 'Browse' ? '10.2.2.0-9' : '10.2.2.0-11', !judged, `${s.mode}: cmi5 defined statements other than initialized/terminated`);
    }
  }

  /** The request handler for lib/server.mjs. */
  handle(req, res, url) {
    if (!url.pathname.startsWith('/cmi5/')) return false;
    readBody(req).then((body) => this.route(req, res, url, body)).catch((e) => {
      this.violations.push(`harness error: ${e.stack || e}`);
      json(res, 500, { error: String(e) });
    });
    return true;
  }

  route(req, res, url, body) {
    let m;
    if (url.pathname === '/cmi5/returned') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!doctype html><title>Returned</title><h1>Back in the LMS</h1>');
    }
    if ((m = /^\/cmi5\/fetch\/([\w-]+)$/.exec(url.pathname))) {
      const s = this.sessions.get(m[1]);
      if (!s) return json(res, 200, { 'error-code': '3', 'error-text': 'unknown session' });
      this.check('8.2.1.0-2', req.method === 'POST', `fetch with ${req.method}`);
      s.fetches++;
      // A second fetch gets error 1 (8.2.3.0-1: one-time URL); the AU should never need it.
      this.check('8.2.3.0-1', s.fetches === 1, 'the fetch URL was requested again');
      return json(res, 200, s.fetches === 1 ? { 'auth-token': s.token } : { 'error-code': '1', 'error-text': 'already used' });
    }
    if (!(m = /^\/cmi5\/lrs\/(.*)$/.exec(url.pathname))) return json(res, 404, {});
    const path = m[1], q = Object.fromEntries(url.searchParams);
    const s = this.byToken.get(req.headers.authorization || '');
    this.check('8.2.2.0-5', !!s, `${req.method} ${path}: no valid Authorization (got ${req.headers.authorization})`);
    if (!s) return json(res, 401, {});
    if (!req.headers['x-experience-api-version']) this.violations.push(`xAPI: ${req.method} ${path} without X-Experience-API-Version`);
    if (path === 'activities/state') return this.stateApi(s, req, res, q, body);
    if (path === 'agents/profile') {
      this.check('11.0.0.0-1', isDeepStrictEqual(JSON.parse(q.agent || 'null'), s.actor), 'agent profile request with another agent');
      if (q.profileId === 'cmi5LearnerPreferences' && req.method === 'GET') {
        s.prefsRead = true;
        return s.prefs ? json(res, 200, { languagePreference: 'en-GB,fr', audioPreference: 'on' }) : json(res, 404, {});
      }
      return json(res, 403, {});
    }
    if (path === 'statements') return this.statementsApi(s, req, res, q, body);
    return json(res, 404, {});
  }

  stateApi(s, req, res, q, body) {
    this.check('8.1.3.0-3', isDeepStrictEqual(JSON.parse(q.agent || 'null'), s.actor), 'state request with another agent');
    this.check('8.1.4.0-3', q.registration === s.reg, `state request with registration ${q.registration}`);
    this.check('10.1.0.0-3', q.activityId === s.activityId, `state request for activity ${q.activityId}`);
    const key = JSON.stringify([q.activityId, q.registration, q.stateId]);
    if (q.stateId === 'LMS.LaunchData') {
      if (req.method !== 'GET') {
        this.check('10.2.1.0-5', false, `${req.method} on LMS.LaunchData`);
        return json(res, 403, {});
      }
      this.checked.add('10.2.1.0-5');
      this.check('10.2.1.0-4', true, '');
      return json(res, 200, s.launchData);
    }
    if (req.method === 'GET') return this.state.has(key) ? json(res, 200, JSON.parse(this.state.get(key))) : json(res, 404, {});
    if (req.method === 'PUT' || req.method === 'POST') { this.state.set(key, body); return json(res, 204); }
    if (req.method === 'DELETE') { this.state.delete(key); return json(res, 204); }
    return json(res, 405, {});
  }

  statementsApi(s, req, res, q, body) {
    if (req.method === 'GET') return json(res, 200, { statements: s.statements, more: '' });
    if (req.method !== 'POST' && req.method !== 'PUT') return json(res, 405, {});
    if (this.failStatements > 0) {
      this.failStatements--;
      this.failedPosts++;
      return json(res, 503, { error: 'the LRS is having a moment' });
    }
    let list = JSON.parse(body);
    if (!Array.isArray(list)) list = [list];
    const ids = [];
    for (const st of list) {
      if (this.stored.has(st.id)) {
        // An LRS stores a statement once: an identical one again is a retry, anything else a conflict.
        if (!isDeepStrictEqual(this.stored.get(st.id), st)) this.violations.push(`xAPI: statement ${st.id} posted again with other content`);
        else this.redelivered++;
        ids.push(st.id);
        continue;
      }
      if (s.terminated) {
        this.check('9.3.0.0-5', false, `${st.verb?.id} ${st.id}: a statement after terminated`);
        return json(res, 403, {});
      }
      this.statement(s, st);
      this.stored.set(st.id, st);
      s.statements.push(st);
      ids.push(st.id);
    }
    return json(res, 200, ids);
  }

  /** Every cmi5 AU rule that applies to one statement of session `s`. */
  statement(s, st) {
    const warnings = validateStatement(st);
    this.validated++;
    if (warnings.length) this.violations.push(`xapi-validation: ${st.verb?.id}: ${JSON.stringify(warnings).slice(0, 400)}`);
    const verb = st.verb?.id || '', name = verb.replace(V, ''), ctx = st.context || {}, ca = ctx.contextActivities || {};
    const cats = (ca.category || []).map((a) => a.id), result = st.result || {}, reg = this.registrations.get(s.reg);
    const defined = cats.includes(CAT + 'cmi5');
    const tpl = s.launchData.contextTemplate;
    const where = `${name} ${st.id}`;

    this.check('9.1.0.0-1', UUID.test(st.id || ''), `${where}: id is not a UUID`);
    this.check('8.1.3.0-3', isDeepStrictEqual(st.actor, s.actor), `${where}: actor differs from the launch actor`);
    this.check('9.2.0.0-2', st.actor?.objectType === 'Agent', `${where}: actor is not an Agent`);
    this.check('9.7.0.0-1', typeof st.timestamp === 'string', `${where}: no timestamp`);
    this.check('9.7.0.0-2', /(Z|[+-]00(:?00)?)$/.test(st.timestamp || ''), `${where}: timestamp ${st.timestamp} is not UTC`);
    this.check('9.7.0.0-1', (st.timestamp || '') >= s.lastStamp, `${where}: timestamp ${st.timestamp} before ${s.lastStamp}`);
    s.lastStamp = st.timestamp || s.lastStamp;
    this.check('11.0.0.0-3', s.prefsRead, `${where}: sent before the learner preferences were read`);
    this.check('9.3.0.0-4', s.initialized || verb === V + 'initialized', `${where}: before initialized`);
    this.check('9.3.0.0-5', !s.terminated, `${where}: after terminated`);
    this.check('9.6.1.0-1', ctx.registration === s.reg, `${where}: registration ${ctx.registration}`);
    this.check('9.6.3.1-4', ctx.extensions?.[EXT + 'sessionid'] === s.id, `${where}: session id missing or wrong`);
    // The template's activities, in order, first in each list; its extensions unchanged.
    for (const [list, acts] of Object.entries(tpl.contextActivities)) {
      this.check('9.6.2.0-1', isDeepStrictEqual((ca[list] || []).slice(0, acts.length), acts), `${where}: contextActivities.${list} does not start with the template's`);
    }
    for (const [k, v] of Object.entries(tpl.extensions)) {
      this.check('10.2.1.0-7', isDeepStrictEqual(ctx.extensions?.[k], v), `${where}: template extension ${k} changed`);
    }
    this.check('10.2.1.0-6', !!st.context, `${where}: no context`);
    if (result.score && result.score.raw !== undefined) {
      this.check('9.5.1.0-3', result.score.min !== undefined && result.score.max !== undefined, `${where}: score.raw without min/max`);
    }

    if (DEFINED.includes(verb)) this.check('9.6.2.1-1', defined, `${where}: cmi5 verb without the cmi5 category`);
    if (!defined) {
      // cmi5 allowed: between initialized and terminated, never the moveOn category.
      this.check('7.1.3.0-1', s.initialized && !s.terminated, `${where}: cmi5 allowed statement outside the session`);
      this.check('9.6.2.2-2', !cats.includes(CAT + 'moveon'), `${where}: moveOn category on a cmi5 allowed statement`);
      return;
    }
    this.check('8.1.5.0-6', st.object?.id === s.activityId, `${where}: object ${st.object?.id} is not the launch activityId`);
    this.check('9.3.0.0-2', !s.verbs.has(verb), `${where}: verb used twice in the session`);
    s.verbs.add(verb);
    const moveOn = result.success !== undefined || result.completion !== undefined;
    this.check(moveOn ? '9.6.2.2-1' : '9.6.2.2-2', cats.includes(CAT + 'moveon') === moveOn,
      `${where}: moveOn category ${moveOn ? 'missing' : 'present without success/completion'}`);
    if (!['passed', 'failed'].includes(name)) {
      this.check('9.5.1.0-2', result.score === undefined, `${where}: score on ${name}`);
      this.check('9.5.2.0-3', result.success === undefined, `${where}: success on ${name}`);
    }
    if (name !== 'completed') this.check('9.5.3.0-2', result.completion === undefined, `${where}: completion on ${name}`);
    if (['completed', 'passed', 'failed'].includes(name) && s.mode !== 'Normal') {
      this.check(s.mode === 'Browse' ? '10.2.2.0-2' : '10.2.2.0-3', false, `${where}: ${name} in ${s.mode} mode`);
      this.check(s.mode === 'Browse' ? '10.2.2.0-9' : '10.2.2.0-11', false, `${where}: ${name} in ${s.mode} mode`);
    }
    const scaled = result.score?.scaled, mastery = s.masteryScore;
    switch (name) {
      case 'initialized':
        this.check('9.3.2.0-3', !s.initialized, `${where}: second initialized`);
        s.initialized = true;
        break;
      case 'completed':
        this.check('9.5.3.0-1', result.completion === true, `${where}: completion is not true`);
        this.check('9.5.4.1-2', DURATION.test(result.duration || ''), `${where}: no duration`);
        this.check('9.3.0.0-6', !reg.completed, `${where}: a second completed in the registration`);
        reg.completed = true;
        break;
      case 'passed':
        this.check('9.5.2.0-1', result.success === true, `${where}: success is not true`);
        this.check('9.5.4.1-3', DURATION.test(result.duration || ''), `${where}: no duration`);
        this.check('9.3.0.0-7', !reg.passed, `${where}: a second passed in the registration`);
        this.check('9.3.0.0-3', !s.verbs.has(V + 'failed'), `${where}: passed after failed in the session`);
        if (mastery !== undefined && scaled !== undefined) {
          this.check('9.3.4.0-2', scaled >= mastery, `${where}: scaled ${scaled} < masteryScore ${mastery}`);
          this.check('9.6.3.2-2', ctx.extensions?.[EXT + 'masteryscore'] === mastery, `${where}: masteryscore extension ${ctx.extensions?.[EXT + 'masteryscore']}`);
        }
        reg.passed = true;
        break;
      case 'failed':
        this.check('9.5.2.0-2', result.success === false, `${where}: success is not false`);
        this.check('9.5.4.1-4', DURATION.test(result.duration || ''), `${where}: no duration`);
        this.check('9.3.0.0-8', !reg.passed, `${where}: failed after passed in the registration`);
        this.check('9.3.0.0-3', !s.verbs.has(V + 'passed'), `${where}: failed after passed in the session`);
        if (mastery !== undefined && scaled !== undefined) {
          this.check('9.3.5.0-2', scaled < mastery, `${where}: scaled ${scaled} >= masteryScore ${mastery}`);
          this.check('9.6.3.2-2', ctx.extensions?.[EXT + 'masteryscore'] === mastery, `${where}: masteryscore extension ${ctx.extensions?.[EXT + 'masteryscore']}`);
        }
        reg.failed = true;
        break;
      case 'terminated':
        this.check('9.5.4.1-1', DURATION.test(result.duration || ''), `${where}: no duration`);
        s.terminated = true;
        break;
      default:
        this.violations.push(`${where}: ${verb} is not a verb the AU may send as cmi5 defined`);
    }
  }
}
