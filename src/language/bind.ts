import type * as A from './ast';
import { type DiagnosticSink } from './diagnosticCollector';
import { diagnostic, type Diagnostic } from './diagnostics';
import { evaluate, type Scope } from './evaluate';
import { lookupObject, objectNames } from './kerasObjects';
import type { ArgSpec, ArgType } from './layers/spec';
import type { ConfigValue, Span } from './model';
import { closest } from './suggest';
import { describeValue, renderValue, type Value } from './values';

// Binds a call's positional and keyword arguments to a declared argument list, as Python
// would, and converts each value to the declared type. Used for layers, data sources and
// optimizers alike, so every call in the language reports the same way.

/** Marks a value that did not convert (already reported). */
export const INVALID: unique symbol = Symbol('invalid');

export interface Bound {
  /** Every declared argument: the given value or the default. Required ones missing are absent. */
  values: Record<string, ConfigValue>;
  /** The arguments the user wrote. */
  given: GivenArgs;
  /** Where each given argument's value stands. */
  spans: Record<string, Span>;
  /** The call expressions of `layer` arguments. */
  calls: Record<string, A.Call>;
  /** The call expressions of `layers` arguments (StackedRNNCells's cells). */
  callLists: Record<string, A.Call[]>;
  /** Raw values of the given arguments (for messages and hovers). */
  raw: Record<string, Value>;
  /** False when an argument was wrong or missing: the values cannot be trusted. */
  ok: boolean;
}

export interface BindOptions {
  /** "LSTM", "window", "adam": used in messages. */
  what: string;
  /** Where argument values look up constants. */
  scope: Scope;
  /** Where problems are reported. */
  out: DiagnosticSink;
  /** What the call's arguments are called in messages: "argument" (default), "setting". */
  noun?: string;
}

interface ArgTables {
  byName: Map<string, ArgSpec>;
  positional: ArgSpec[];
  required: ArgSpec[];
  /** Every default, in declaration order: copied whole into each call's values. */
  defaults: Record<string, ConfigValue>;
}

// Argument lists are static (one per layer class, data source and optimizer): index them
// once, not on every call, since a large file binds tens of thousands of calls per keystroke.
// A Map (faster than a WeakMap here) is safe because the set of lists is fixed.
const TABLES = new Map<ArgSpec[], ArgTables>();

function tables(specs: ArgSpec[]): ArgTables {
  let t = TABLES.get(specs);
  if (!t) {
    const built: Record<string, ConfigValue> = {};
    for (const s of specs) if (s.default !== undefined) built[s.name] = s.default;
    // An object grown key by key past a dozen keys is a slow dictionary in V8, and copying
    // it costs ~7 µs; a spread copy of it is a fast object that copies in under 1 µs.
    const defaults = { ...built };
    t = { byName: new Map(specs.map((s) => [s.name, s])), positional: specs.filter((s) => s.positional), required: specs.filter((s) => s.required), defaults };
    TABLES.set(specs, t);
  }
  return t;
}

/**
 * The names of the arguments a call gives: a Set was the largest single allocation of binding a
 * model of 100,000 one-argument layers (~150 bytes each); a call gives a handful at most, so the
 * first is a field and the rest a list.
 */
export class GivenArgs {
  private first: string | null = null;
  private rest: string[] | null = null;

  has(name: string): boolean {
    return this.first === name || (this.rest !== null && this.rest.includes(name));
  }

  add(name: string): void {
    if (this.first === null) this.first = name;
    else (this.rest ??= []).push(name);
  }
}

/** The empty record a Bound's optional maps share until written (never written itself). */
const NONE: Record<string, never> = Object.freeze({});

/** One of a Bound's optional maps, made its own before the first write. */
function own<K extends 'calls' | 'callLists' | 'raw'>(bound: Bound, key: K): Bound[K] {
  if (bound[key] === NONE) bound[key] = {};
  return bound[key];
}

export function bindArgs(call: A.Call, specs: ArgSpec[], opts: BindOptions): Bound {
  const { what, out } = opts;
  const { byName, positional, required, defaults } = tables(specs);
  // Copying one prepared object is far cheaper than adding dozens of keys one by one; the
  // arguments given overwrite their defaults in place, so keys stay in Keras's order.
  // Object.assign, not a spread: once bindArgs has seen a few argument lists, a spread copy
  // gets a hidden class of its own (~400 bytes) for every call, which on a model of 100,000
  // layers was a third of what its analysis kept; Object.assign copies share one.
  // calls, callLists and raw start as one shared empty object (most calls have no nested layer
  // and no `any` argument) and get their own on the first write (own() below).
  const bound: Bound = { values: Object.assign({}, defaults), given: new GivenArgs(), spans: {}, calls: NONE, callLists: NONE, raw: NONE, ok: true };
  let posIndex = 0;
  let sawKeyword = false;

  for (const arg of call.args) {
    let spec: ArgSpec | undefined;
    if (arg.name) {
      sawKeyword = true;
      spec = byName.get(arg.name.name);
      if (!spec) {
        bound.ok = false;
        const written = arg.name;
        // Built only if listed: a call of 100,000 misspelt arguments must not rank every one.
        out.report('error', written.span, () => {
          const guess = closest(written.name, byName.keys());
          return diagnostic(
            'unknown-argument',
            'error',
            written.span,
            `${what} has no ${opts.noun ?? 'argument'} '${written.name}'.` + (guess ? ` Did you mean '${guess}'?` : opts.noun ? ` ${capitalise(opts.noun)}s: ${[...byName.keys()].join(', ')}.` : ''),
            guess ? [{ title: `Change to '${guess}'`, edits: [{ span: written.span, newText: guess }], preferred: true }] : undefined,
          );
        });
        if (arg.value) evaluate(arg.value, opts.scope, out);
        continue;
      }
    } else {
      if (sawKeyword) {
        bound.ok = false;
        out.report('error', arg.span, () => diagnostic('syntax-error', 'error', arg.span, 'A positional argument cannot follow keyword arguments.'));
        continue;
      }
      spec = positional[posIndex++];
      if (!spec) {
        bound.ok = false;
        out.report('error', arg.span, () => {
          const takes = positional.length === 0 ? 'no positional arguments' : `at most ${positional.length} positional argument${positional.length > 1 ? 's' : ''} (${positional.map((p) => p.name).join(', ')})`;
          return diagnostic('too-many-arguments', 'error', arg.span, `${what} takes ${takes}.`);
        });
        if (arg.value) evaluate(arg.value, opts.scope, out);
        continue;
      }
    }
    if (bound.given.has(spec.name)) {
      bound.ok = false;
      const name = spec.name;
      out.report('error', arg.span, () => diagnostic('duplicate-argument', 'error', arg.span, `${name} is given twice.`));
      continue;
    }
    bound.given.add(spec.name);
    if (!arg.value) {
      bound.ok = false;
      continue;
    }
    bound.spans[spec.name] = arg.value.span;
    if (spec.type.t === 'expr') continue;
    if (spec.type.t === 'layer') {
      if (arg.value.kind === 'call') own(bound, 'calls')[spec.name] = arg.value;
      else {
        bound.ok = false;
        out.push(diagnostic('invalid-argument', 'error', arg.value.span, `${spec.name} of ${what} must be a layer, e.g. LSTM(16).`));
      }
      continue;
    }
    if (spec.type.t === 'layers') {
      const items = arg.value.kind === 'list' || arg.value.kind === 'tuple' ? arg.value.items : null;
      if (items && items.every((i) => i.kind === 'call')) own(bound, 'callLists')[spec.name] = items as A.Call[];
      else {
        bound.ok = false;
        out.push(diagnostic('invalid-argument', 'error', arg.value.span, `${spec.name} of ${what} must be a list of cells, e.g. [LSTMCell(32), LSTMCell(16)].`));
      }
      continue;
    }
    const value = evaluate(arg.value, opts.scope, out);
    own(bound, 'raw')[spec.name] = value;
    if (spec.type.t === 'any') continue;
    const converted = spec.type.t === 'object' ? bindObject(value, spec.type, spec.name, opts) : convert(value, spec.type, spec.name, what, out);
    if (converted === INVALID) {
      bound.ok = false;
      delete bound.values[spec.name];
    } else bound.values[spec.name] = converted;
  }

  let complete = true;
  for (const s of required) if (!bound.given.has(s.name)) complete = false;
  if (!complete) {
    const missing = required.filter((s) => !bound.given.has(s.name));
    bound.ok = false;
    const names = missing.map((m) => m.name).join(', ');
    const fixes = call.closed
      ? [
          {
            title: `Add ${names}`,
            edits: [
              {
                span: { start: call.argsSpan.end - 1, end: call.argsSpan.end - 1 },
                newText: (call.args.length ? ', ' : '') + missing.map((m) => `${m.name}=`).join(', '),
              },
            ],
          },
        ]
      : undefined;
    out.push(diagnostic('missing-argument', 'error', call.callee.span, `${what} needs ${names}: ${what}(${missing.map((m) => m.name).join(', ')}).`, fixes));
  }
  return bound;
}


/**
 * The largest whole-number argument or dimension: TensorFlow's shapes are int32. Anything larger
 * (`LSTM(1e10)`, `input(10, 1e200)`) is refused where it is written, so every count the engine
 * prints is exact (see MAX_COUNT in modelAnalysis.ts for the counts themselves).
 */
export const MAX_DIMENSION = 2 ** 31 - 1;

function tooLarge(value: number): string {
  const written = Number.isSafeInteger(value) ? value.toLocaleString('en-US') : Number.isFinite(value) ? `about ${value.toExponential(2)}` : 'a number too large even for a double';
  return `at most ${MAX_DIMENSION.toLocaleString('en-US')} (the largest size TensorFlow takes), not ${written}`;
}

/** Converts a value to a declared type, reporting at the value when it does not fit. */
export function convert(value: Value, type: ArgType, name: string, what: string, out: DiagnosticSink): ConfigValue | typeof INVALID {
  if (value.kind === 'error') return INVALID;
  const nullable = 'nullable' in type && type.nullable;
  if (value.kind === 'none' && nullable) return null;

  switch (type.t) {
    case 'int':
    case 'int1': {
      let v: Value = value;
      if (type.t === 'int1' && v.kind === 'seq') {
        if (v.items.length !== 1) return expectedOf(value, name, what, out, 'an integer or a 1-tuple');
        v = v.items[0];
      }
      if (v.kind !== 'number') return expectedOf(value, name, what, out, 'an integer');
      if (Math.abs(v.value) > MAX_DIMENSION) return failAt(value, out, `${name} of ${what} must be ${tooLarge(v.value)}.`);
      if (!Number.isInteger(v.value)) return failAt(value, out, `${name} of ${what} must be a whole number, not ${renderValue(v)}.`);
      if (type.min !== undefined && v.value < type.min) return failAt(value, out, `${name} of ${what} must be at least ${type.min}, not ${v.value}.`);
      return v.value;
    }
    case 'float': {
      if (value.kind !== 'number') return expectedOf(value, name, what, out, 'a number');
      if (type.min !== undefined && value.value < type.min) return failAt(value, out, `${name} of ${what} must be at least ${type.min}, not ${renderValue(value)}.`);
      if (type.max !== undefined && value.value > type.max) return failAt(value, out, `${name} of ${what} must be at most ${type.max}, not ${renderValue(value)}.`);
      return value.value;
    }
    case 'bool':
      if (value.kind === 'bool') return value.value;
      if (value.kind === 'word' && /^(true|false)$/i.test(value.value)) return value.value.toLowerCase() === 'true';
      return expectedOf(value, name, what, out, 'True or False');
    case 'enum': {
      if (value.kind !== 'string' && value.kind !== 'word') return expectedOf(value, name, what, out, `one of ${type.values.map((v) => `"${v}"`).join(', ')}`);
      const text = value.value;
      if (type.values.includes(text)) return text;
      const guess = closest(text, type.values);
      const replacement = value.kind === 'string' ? JSON.stringify(guess) : guess;
      return failAt(
        value,
        out,
        `${name} of ${what} must be one of ${type.values.join(', ')}${nullable ? ' or None' : ''}; '${text}' is not.` + (guess ? ` Did you mean '${guess}'?` : ''),
        guess ? [{ title: `Change to ${replacement}`, edits: [{ span: value.span, newText: replacement! }], preferred: true }] : undefined,
      );
    }
    case 'string':
      if (value.kind === 'string') return value.value;
      return expectedOf(value, name, what, out, 'a string');
    case 'axis':
      if (value.kind === 'number' && Number.isInteger(value.value)) return value.value;
      if (value.kind === 'seq' && value.items.every((i) => i.kind === 'number' && Number.isInteger(i.value)))
        return value.items.map((i) => (i as { value: number }).value);
      return expectedOf(value, name, what, out, 'an axis (an integer) or a list of axes');
    case 'shape': {
      const items = value.kind === 'seq' ? value.items : value.kind === 'number' || value.kind === 'none' ? [value] : null;
      if (!items) return expectedOf(value, name, what, out, 'a shape such as (3, 1)');
      const dims: (number | null)[] = [];
      for (const item of items) {
        if (item.kind === 'none') dims.push(null);
        else if (item.kind === 'number' && item.value > MAX_DIMENSION) {
          out.push(diagnostic('invalid-argument', 'error', item.span, `${name === 'dimension' ? `A dimension of ${what}` : `Each dimension of ${name}`} must be ${tooLarge(item.value)}.`));
          return INVALID;
        } else if (item.kind === 'number' && Number.isInteger(item.value) && (item.value > 0 || (type.allowMinusOne && item.value === -1))) dims.push(item.value);
        else if (item.kind === 'error') return INVALID;
        else {
          out.push(diagnostic('invalid-argument', 'error', item.span, `Each dimension of ${name} must be a positive integer or None, not ${renderValue(item)}.`));
          return INVALID;
        }
      }
      return dims;
    }
    case 'list': {
      // Every item is checked and reported; one bad item invalidates the list.
      const items = value.kind === 'seq' ? value.items : [value];
      const converted = items.map((item) => convert(item, type.item, name, what, out));
      return converted.includes(INVALID) ? INVALID : (converted as ConfigValue[]);
    }
    case 'layer':
    case 'layers':
    case 'expr':
    case 'any':
    case 'object':
      return expectedOf(value, name, what, out, 'a layer');
  }
}

// convert's ways to fail, as functions rather than closures made on every call: convert runs
// for every argument of every layer.

/** Reports a value that does not convert, at the value. */
function failAt(value: Value, out: DiagnosticSink, message: string, fixes?: Diagnostic['fixes']): typeof INVALID {
  out.push(diagnostic(value.kind === 'word' && !message.includes('must be one of') ? 'undefined-name' : 'invalid-argument', 'error', value.span, message, fixes));
  return INVALID;
}

/** Reports a value of the wrong kind: what was expected, and what it is. */
function expectedOf(value: Value, name: string, what: string, out: DiagnosticSink, desc: string): typeof INVALID {
  if (value.kind === 'word') return failAt(value, out, `'${value.value}' is not defined; ${name} of ${what} must be ${desc}.`);
  return failAt(value, out, `${name} of ${what} must be ${desc}, not ${describeValue(value)} (${renderValue(value)}).`);
}

/**
 * An initializer, regularizer or constraint: a name of the right kind (kept as written: Keras
 * gives it its defaults), None where allowed, or a call whose arguments are bound and checked
 * like a layer's, giving `{ type: className, config: every argument }`.
 */
function bindObject(value: Value, type: Extract<ArgType, { t: 'object' }>, name: string, opts: BindOptions): ConfigValue | typeof INVALID {
  const { what, out } = opts;
  if (value.kind === 'error') return INVALID;
  if (value.kind === 'none' && type.nullable) return null;
  const written = value.kind === 'string' || value.kind === 'word' ? { text: value.value, span: value.span, quoted: value.kind === 'string' } : value.kind === 'call' ? { text: value.call.callee.name, span: value.call.callee.span, quoted: false } : null;
  const example = type.kind === 'initializer' ? '"glorot_uniform" or RandomNormal(stddev=0.05)' : type.kind === 'regularizer' ? '"l2" or l2(0.001)' : '"non_neg" or max_norm(3)';
  if (!written) {
    out.push(diagnostic('invalid-argument', 'error', value.span, `${name} of ${what} must be ${a(type.kind)} such as ${example}${type.nullable ? ', or None' : ''}, not ${describeValue(value)} (${renderValue(value)}).`));
    return INVALID;
  }
  const spec = lookupObject(written.text);
  if (!spec || spec.kind !== type.kind) {
    const guess = spec ? undefined : closest(written.text, objectNames(type.kind));
    const replacement = guess && written.quoted ? JSON.stringify(guess) : guess;
    const at = value.kind === 'call' ? written.span : value.span;
    const why = spec ? `${written.text} is ${a(spec.kind)}` : `'${written.text}' is not one SeqModel supports`;
    const hint = guess ? ` Did you mean '${guess}'?` : ` Use one of ${objectNames(type.kind, true).join(', ')}.`;
    out.push(
      diagnostic('invalid-argument', 'error', at, `${name} of ${what} takes ${a(type.kind)}, and ${why}.${hint}`, guess ? [{ title: `Change to ${replacement}`, edits: [{ span: at, newText: replacement! }], preferred: true }] : undefined),
    );
    return INVALID;
  }
  if (value.kind !== 'call') return written.text;
  const bound = bindArgs(value.call, spec.args, { scope: opts.scope, out, what: spec.name });
  return bound.ok ? { type: spec.className, config: bound.values } : INVALID;
}

function capitalise(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function a(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
