import { LAYERS } from '../../language';
import type { DraftModel, ImportDraft, SourceLocation } from '../output';
import { arrayFrom, echoData, echoExamples, imdbLoad, labelledWindowsData, padSequences, readCsv, reshapeArray, splitSequence } from './data';
import { INPUT_CLASSES, isLayerClass, layerFromCall } from './layers';
import type { Reader } from './reader';
import { calleeName, dottedName, type PyExpr, type PyStmt } from './syntax';
import { compile, fit, optimizerCall, predict } from './training';
import { arithmetic, dslConst, ImportProblem, UNKNOWN, type Const, type LayerLine, type ModelBuild, type Val } from './values';

// Reads a Python script top to bottom, the way Python would run it, but only as far as the
// model design goes: constants, Sequential models and their add(...) calls, linear functional
// models, compile, fit, predict, and the course's data recipes. It never executes anything.
// A statement it cannot follow is reported (with its line) only when it touches a model, so
// plotting and printing stay quiet.

type Call = Extract<PyExpr, { k: 'call' }>;

/** Loops that build models (for i in range(3): model.add(...)) are unrolled up to this. */
/** The data recipes Export to Keras defines as functions: read as recipes, not run line by line. */
const EXPORTED_RECIPES = ['split_sequence', 'generate_example', 'labelled_windows'];

const MAX_UNROLL = 64;

/** Nested loops are unrolled while all of them together stay under this many iterations. */
const MAX_UNROLL_TOTAL = 1000;

/** Methods that build or train a model: a loop or condition around them is reported. */
const BUILDING_METHODS = new Set(['add', 'compile', 'fit', 'build', 'pop']);

/** Methods of a model that do not change its design. */
const QUIET_METHODS = new Set(['summary', 'save', 'save_weights', 'load_weights', 'evaluate', 'to_json', 'get_config', 'count_params', 'get_weights', 'set_weights', 'reset_states']);

class Scope {
  private readonly vars = new Map<string, Val>();
  constructor(private readonly parent: Scope | null) {}
  get(name: string): Val | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, v: Val): void {
    this.vars.set(name, v);
  }
}

export class PythonInterpreter implements Reader {
  private scope = new Scope(null);
  private trainSeed: string | null = null;
  private randomSeed: string | null = null;
  /** Nesting of user functions being read (build_model() calls). */
  private depth = 0;
  /** The name a model built by the current statement gets: the variable it is assigned to. */
  private pendingName = 'model';
  private readonly builds: ModelBuild[] = [];
  private unrolled = 0;
  /** Layer and Input calls read, by offset, and those that went into a model or a tensor. */
  private readonly created = new Map<number, Call>();
  private readonly used = new Set<number>();
  /** Module-level functions, and those the script calls (by where they are defined). */
  private readonly functions: Extract<PyStmt, { k: 'def' }>[] = [];
  private readonly called = new Set<number>();

  constructor(
    readonly draft: ImportDraft,
    private readonly text: string,
    private readonly locateOffset: (offset: number) => SourceLocation,
    constants: Record<string, Const> = {},
  ) {
    // Constants of the document the code is pasted into: used by their own names.
    for (const [name, value] of Object.entries(constants)) this.scope.set(name, { k: 'const', value, dsl: name });
  }

  run(statements: PyStmt[]): void {
    for (const s of statements) this.statement(s);
  }

  locate(offset: number): SourceLocation {
    return this.locateOffset(offset);
  }

  source(at: { from: number; to: number }): string {
    const s = this.text.slice(at.from, at.to).replace(/\s*\n\s*/g, ' ');
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  }

  /** The whole line an offset is on: a syntax error node may be a single character. */
  private lineAround(offset: number): { from: number; to: number } {
    const from = this.text.lastIndexOf('\n', offset - 1) + 1;
    const end = this.text.indexOf('\n', offset);
    return { from, to: end < 0 ? this.text.length : end };
  }

  warn(at: { from: number }, message: string, model?: DraftModel): void {
    this.draft.warn(this.locate(at.from), message, model);
  }

  // ---- statements ----

  private statement(s: PyStmt): void {
    try {
      this.statementUnsafe(s);
    } catch (e) {
      if (!(e instanceof ImportProblem)) throw e;
      this.warn(e.at, `${e.message}; not imported.`, this.modelOf(s));
    }
  }

  private statementUnsafe(s: PyStmt): void {
    switch (s.k) {
      case 'assign': {
        const first = s.targets[0];
        this.pendingName = first.length === 1 && first[0].k === 'name' ? first[0].name : 'model';
        // a, b = 5, seq_len: each name gets its own value (and its own let).
        if (s.targets.length === 1 && first.length > 1 && s.value.k === 'tuple' && s.value.items.length === first.length) {
          const items = s.value.items;
          first.forEach((t, i) => this.bind(t, this.named(t, this.eval(items[i]))));
          return;
        }
        const value = this.named(first.length === 1 ? first[0] : null, this.eval(s.value));
        for (const group of s.targets) {
          if (group.length > 1) this.unpack(group, value);
          else this.bind(group[0], value);
        }
        return;
      }
      case 'expr':
        this.pendingName = 'model';
        this.eval(s.expr);
        return;
      case 'def':
        this.scope.set(s.name, { k: 'function', name: s.name, params: s.params, body: s.body, from: s.from, to: s.to });
        if (this.depth === 0) this.functions.push(s);
        return;
      case 'class':
        // A class named as a cell the language has is that cell's definition (Export to Keras
        // writes FullPeepholeLSTMCell, CoupledLSTMCell and LayerNormGRUCell so): its calls are
        // read as the cell, and its body (LayerNormalization layers) builds no model.
        if (LAYERS.get(s.name)?.category === 'cell') return;
        this.scope.set(s.name, { k: 'unknown', why: `${s.name} is a class defined in the script (a custom layer)` });
        if (this.touchesModels(s.body)) this.warn(s, `the class ${s.name} builds or trains a model: classes are not followed, so its model is not imported.`);
        return;
      case 'block':
        if (s.keyword === 'if') {
          // if __name__ == "__main__": is how a script runs; other conditions are not decided.
          if (isMainGuard(s.test) && s.branches === 1) this.run(s.body);
          else if (this.touchesModels(s.body)) this.warn(s, 'an if statement that builds or trains a model is not imported (the importer does not decide conditions).');
          return;
        }
        if (s.keyword === 'while') {
          if (this.touchesModels(s.body)) this.warn(s, 'a while loop that builds or trains a model is not imported.');
          return;
        }
        this.run(s.body);
        return;
      case 'for':
        this.forLoop(s);
        return;
      case 'return':
        return;
      case 'error':
        this.warn(s, `Python the parser could not read: ${this.source(this.lineAround(s.from))}; skipped.`);
        return;
      default:
        return;
    }
  }

  private modelOf(s: PyStmt): DraftModel | undefined {
    if (s.k !== 'expr' || s.expr.k !== 'call' || s.expr.callee.k !== 'attr') return undefined;
    const v = this.eval(s.expr.callee.object);
    return v.k === 'model' ? v.build.draft : undefined;
  }

  private forLoop(s: Extract<PyStmt, { k: 'for' }>): void {
    if (!this.touchesModels(s.body)) return;
    const it = s.iter;
    const count = it.k === 'call' && calleeName(it.callee) === 'range' && it.args.length === 1 ? this.eval(it.args[0]) : null;
    if (this.echoTraining(s)) return;
    if (count?.k !== 'const' || typeof count.value !== 'number' || count.value > MAX_UNROLL || s.targets.length !== 1 || this.unrolled + count.value > MAX_UNROLL_TOTAL) {
      this.warn(s, `a for loop that builds or trains a model is not imported (only for ... in range(n) with n ≤ ${MAX_UNROLL} is unrolled).`);
      return;
    }
    this.unrolled += count.value;
    for (let i = 0; i < count.value; i++) {
      this.scope.set(s.targets[0], { k: 'const', value: i, dsl: String(i) });
      this.run(s.body);
    }
  }

  /**
   * The echo problem's training loop (Brownlee's, as the LSTM material trains the echo model):
   *   for i in range(n):
   *       X, y = generate_example(length, n_features, out_index)
   *       model.fit(X, y, epochs=1, verbose=2)
   * is one epoch over n fresh examples, one example per step: echo(samples=n, ...) trained
   * with epochs = 1, batch_size = 1, shuffle = False.
   */
  private echoTraining(s: Extract<PyStmt, { k: 'for' }>): boolean {
    const [gen, fitStmt, ...rest] = s.body;
    if (rest.length || gen?.k !== 'assign' || fitStmt?.k !== 'expr' || gen.targets.length !== 1 || gen.targets[0].length !== 2) return false;
    const [xName, yName] = gen.targets[0];
    if (gen.value.k !== 'call' || calleeName(gen.value.callee) !== 'generate_example' || xName.k !== 'name' || yName.k !== 'name') return false;
    const call = fitStmt.expr;
    if (call.k !== 'call' || call.callee.k !== 'attr' || call.callee.name !== 'fit') return false;
    const model = this.eval(call.callee.object);
    const [x, y] = call.args;
    const epochs = call.kwargs.find((k) => k.name === 'epochs')?.value;
    const once = !epochs || (epochs.k === 'num' && epochs.value === 1);
    if (model.k !== 'model' || x?.k !== 'name' || y?.k !== 'name' || x.name !== xName.name || y.name !== yName.name || !once || call.kwargs.some((k) => k.name === 'batch_size' || k.name === 'shuffle')) return false;
    const examples = echoExamples(gen.value, s.iter, this, this.randomSeed);
    if (examples?.k !== 'echo') return false;
    this.scope.set(xName.name, echoData({ ...examples, part: 'X' }, this));
    this.scope.set(yName.name, echoData({ ...examples, part: 'Y' }, this));
    const trains = this.draft.trains.length;
    fit(model.build, call, this, this.trainSeed);
    for (const t of this.draft.trains.slice(trains)) t.settings.push(['batch_size', '1'], ['shuffle', 'False']);
    return true;
  }

  /** Does any statement build or train a model (a layer, add, compile, fit)? */
  private touchesModels(body: PyStmt[]): boolean {
    const seen = (e: PyExpr): boolean => {
      switch (e.k) {
        case 'call': {
          const name = calleeName(e.callee);
          if (isLayerClass(name) || name === 'Sequential' || name === 'Model') return true;
          // Only a name is looked up here: evaluating a call would build what it builds.
          if (e.callee.k === 'attr' && BUILDING_METHODS.has(e.callee.name) && e.callee.object.k === 'name' && this.scope.get(e.callee.object.name)?.k === 'model') return true;
          return seen(e.callee) || e.args.some(seen) || e.kwargs.some((k) => seen(k.value));
        }
        case 'attr':
        case 'subscript':
          return seen(e.object);
        case 'tuple':
        case 'list':
          return e.items.some(seen);
        case 'binary':
          return seen(e.left) || seen(e.right);
        default:
          return false;
      }
    };
    const stmt = (s: PyStmt): boolean => {
      switch (s.k) {
        case 'assign':
          return seen(s.value);
        case 'expr':
          return seen(s.expr);
        case 'block':
        case 'for':
        case 'def':
        case 'class':
          return s.body.some(stmt);
        case 'return':
          return !!s.value && seen(s.value);
        default:
          return false;
      }
    };
    return body.some(stmt);
  }

  /** A constant assigned to a name becomes a `let` of that name (written if used). */
  private named(target: PyExpr | null, v: Val): Val {
    if (v.k !== 'const' || target?.k !== 'name') return v;
    return { ...v, dsl: this.draft.addLet(target.name, v.dsl) };
  }

  private bind(target: PyExpr, value: Val): void {
    if (target.k === 'name' && value.k === 'model' && value.build.inFunction && this.depth === 0) {
      this.draft.rename(value.build.draft.ref, target.name);
      value.build.inFunction = false;
    }
    if (target.k === 'name') this.scope.set(target.name, value);
    else if (target.k === 'tuple' || target.k === 'list') this.unpack(target.items, value);
    else if (target.k === 'attr' || target.k === 'subscript') {
      const owner = this.eval(target.object);
      if (owner.k === 'model' || owner.k === 'tensor' || owner.k === 'layer') {
        this.warn(target, `${this.source(target)} = ... changes a model after it is built; not imported.`, owner.k === 'model' ? owner.build.draft : undefined);
      }
    }
  }

  private unpack(targets: PyExpr[], value: Val): void {
    let items: Val[];
    if (value.k === 'tuple' || value.k === 'list') items = value.items;
    else if (value.k === 'const' && Array.isArray(value.value)) items = value.value.map((c) => ({ k: 'const', value: c, dsl: dslConst(c) }) as Val);
    // s, a, c = LSTM(..., return_state=True)(x): every name is an output of the same layer.
    else if (value.k === 'tensor') items = targets.map(() => value);
    else items = targets.map(() => UNKNOWN);
    targets.forEach((t, i) => this.bind(t, this.named(t, items[i] ?? UNKNOWN)));
  }

  // ---- expressions ----

  eval(e: PyExpr): Val {
    switch (e.k) {
      case 'num':
        return { k: 'const', value: e.value, dsl: String(e.value) };
      case 'str':
        return { k: 'const', value: e.value, dsl: dslConst(e.value) };
      case 'lit':
        return { k: 'const', value: e.value, dsl: dslConst(e.value) };
      case 'name':
        return this.scope.get(e.name) ?? { k: 'unknown', why: `${e.name} is not a value the importer knows` };
      case 'tuple':
      case 'list': {
        const items = e.items.map((i) => this.eval(i));
        if (items.every((i) => i.k === 'const')) {
          const consts = items as Extract<Val, { k: 'const' }>[];
          const dsls = consts.map((c) => c.dsl);
          const dsl = e.k === 'tuple' ? (dsls.length === 1 ? `(${dsls[0]},)` : `(${dsls.join(', ')})`) : `[${dsls.join(', ')}]`;
          return { k: 'const', value: consts.map((c) => c.value), dsl };
        }
        return { k: e.k, items };
      }
      case 'binary': {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        if (l.k !== 'const' || r.k !== 'const') return UNKNOWN;
        const value = arithmetic(e.op, l.value, r.value);
        if (value === undefined) return UNKNOWN;
        return { k: 'const', value, dsl: `${wrap(e.left, l.dsl)} ${e.op} ${wrap(e.right, r.dsl)}` };
      }
      case 'unary': {
        const v = this.eval(e.operand);
        if (v.k !== 'const' || typeof v.value !== 'number' || (e.op !== '-' && e.op !== '+')) return UNKNOWN;
        return { k: 'const', value: e.op === '-' ? -v.value : v.value, dsl: `${e.op}${wrap(e.operand, v.dsl)}` };
      }
      case 'attr':
        return this.attribute(e);
      case 'subscript':
        return this.subscript(e);
      case 'call':
        return this.call(e);
      case 'comp':
        return this.comprehension(e);
      default:
        return UNKNOWN;
    }
  }

  constDsl(e: PyExpr, what: string): string {
    const v = this.eval(e);
    if (v.k === 'const') return v.dsl;
    // (n_steps, n_features): name the part that is not a constant, and why.
    if (e.k === 'tuple' || e.k === 'list') for (const item of e.items) this.constDsl(item, what);
    const why = v.k === 'unknown' && v.why ? `: ${v.why}` : '';
    throw new ImportProblem(`${what} ${this.source(e)} is not a constant${why}`, e);
  }

  private attribute(e: Extract<PyExpr, { k: 'attr' }>): Val {
    const owner = this.eval(e.object);
    if (owner.k === 'csv' && e.name === 'values') return owner;
    if ((owner.k === 'array' || owner.k === 'data') && e.name === 'T') return { k: 'unknown', why: 'a transposed array' };
    return { k: 'unknown', why: `${this.source(e)} is computed by Python` };
  }

  private subscript(e: Extract<PyExpr, { k: 'subscript' }>): Val {
    // X.shape[i]: the dimensions of a data source (steps, features) are constants.
    if (e.object.k === 'attr' && e.object.name === 'shape' && e.index) {
      const owner = this.eval(e.object.object);
      const i = this.eval(e.index);
      if (owner.k === 'data' && i.k === 'const' && typeof i.value === 'number' && i.value >= 1) {
        const dsl = owner.shape.dims[i.value - 1];
        const value = owner.shape.values[i.value - 1];
        if (dsl) return { k: 'const', value: value ?? Number(dsl), dsl };
      }
      return { k: 'unknown', why: `${this.source(e)} is known only when Python runs` };
    }
    const owner = this.eval(e.object);
    if (owner.k === 'imdb' && e.slice && !e.slice.start && e.slice.stop) {
      const stop = this.eval(e.slice.stop);
      if (stop.k === 'const' && typeof stop.value === 'number') return { ...owner, samples: stop.dsl };
    }
    if (owner.k === 'csv' && e.index) {
      const cols = this.eval(e.index);
      if (cols.k === 'const' && Array.isArray(cols.value)) return { ...owner, columns: cols.dsl, columnCount: cols.value.length };
      if (cols.k === 'const' && typeof cols.value === 'string') return { k: 'csvColumn', csv: owner, column: cols.dsl };
    }
    if (owner.k === 'const' && Array.isArray(owner.value) && e.index) {
      const i = this.eval(e.index);
      if (i.k === 'const' && typeof i.value === 'number') {
        const item = owner.value.at(i.value);
        if (item !== undefined) return { k: 'const', value: item, dsl: dslConst(item, true) };
      }
    }
    if (owner.k === 'tuple' || owner.k === 'list') {
      const i = e.index && this.eval(e.index);
      if (i?.k === 'const' && typeof i.value === 'number') return owner.items.at(i.value) ?? UNKNOWN;
    }
    return { k: 'unknown', why: `${this.source(e)} is computed by Python` };
  }

  private comprehension(e: Extract<PyExpr, { k: 'comp' }>): Val {
    if (e.element.k === 'call' && calleeName(e.element.callee) === 'generate_example') return echoExamples(e.element, e.iter, this, this.randomSeed) ?? UNKNOWN;
    const source = this.eval(e.iter);
    if (source.k === 'echo' && e.element.k === 'name') {
      const index = e.targets.indexOf(e.element.name);
      if (index === 0 || index === 1) return { ...source, part: index === 0 ? 'X' : 'Y' };
    }
    return { k: 'unknown', why: `${this.source(e)} is computed by Python` };
  }

  private call(e: Call): Val {
    const path = dottedName(e.callee);
    const name = path?.[path.length - 1] ?? null;
    // xs.append(x) grows a list a name holds (the cells of a TF1 stack).
    if (e.callee.k === 'attr' && e.callee.name === 'append' && e.callee.object.k === 'name' && e.args[0]) {
      const list = this.scope.get(e.callee.object.name);
      const items = list?.k === 'list' ? list.items : list?.k === 'const' && Array.isArray(list.value) ? list.value.map((c): Val => ({ k: 'const', value: c, dsl: dslConst(c) })) : null;
      if (items) {
        this.scope.set(e.callee.object.name, { k: 'list', items: [...items, this.eval(e.args[0])] });
        return UNKNOWN;
      }
    }
    // Methods of the values the importer follows.
    if (e.callee.k === 'attr') {
      const owner = this.eval(e.callee.object);
      const method = e.callee.name;
      const result = this.method(owner, method, e);
      if (result) return result;
    }
    // A layer object applied to a tensor: LSTM(8)(x), or lstm(x).
    if (e.callee.k === 'call' || (e.callee.k === 'name' && this.scope.get(e.callee.name)?.k === 'layer')) {
      const layer = this.eval(e.callee);
      const input = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
      if (layer.k === 'layer') this.used.add(layer.line.from);
      if (input.k === 'tensor') input.chain.forEach((l) => this.used.add(l.from));
      if (layer.k === 'layer' && input.k === 'tensor') return { k: 'tensor', chain: [...input.chain, layer.line], outputs: layer.outputs };
      if (input.k === 'unknown' && input.why) return input;
      if (layer.k === 'layer' || input.k === 'tensor') return { k: 'unknown', why: 'a layer applied to several inputs, or to a tensor the importer cannot follow' };
      return UNKNOWN;
    }
    if (e.callee.k === 'name') {
      const fn = this.scope.get(e.callee.name);
      if (fn?.k === 'function' && !EXPORTED_RECIPES.includes(e.callee.name)) return this.callFunction(fn, e);
    }
    if (!name) return UNKNOWN;
    if (name === 'Sequential') return this.sequential(e);
    if (name === 'Model' || name === 'Functional') return this.functional(e);
    if (INPUT_CLASSES.has(name)) {
      const { line } = layerFromCall(e, this);
      if (line.problem) throw new ImportProblem(line.problem, e);
      this.created.set(line.from, e);
      return { k: 'tensor', chain: [line], outputs: 1 };
    }
    // A cell on its own (LSTMCell(n)) is TensorFlow 1's (tf1 below); Keras's cells come inside RNN(...).
    if ((LAYERS.has(name) || isLayerClass(name)) && LAYERS.get(name)?.category !== 'cell') {
      const { line, outputs } = layerFromCall(e, this);
      this.created.set(line.from, e);
      return { k: 'layer', line, outputs };
    }
    switch (name) {
      case 'split_sequence':
        return splitSequence(e, this);
      case 'labelled_windows':
        return labelledWindowsData(e, this);
      case 'array':
      case 'asarray':
        return this.array(e);
      case 'concatenate': {
        const v = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
        if (v.k === 'echo') return echoData(v, this);
        if (v.k === 'list' && v.items.some((i) => i.k === 'tensor')) return { k: 'unknown', why: 'concatenate merges branches of a functional model' };
        return UNKNOWN;
      }
      case 'load_data':
        return path?.includes('imdb') ? imdbLoad(e, this) : UNKNOWN;
      case 'pad_sequences':
        return padSequences(e, this);
      case 'read_csv':
        return readCsv(e, this);
      case 'set_random_seed':
      case 'set_seed':
        this.trainSeed = e.args[0] ? this.constDsl(e.args[0], 'the seed') : null;
        return UNKNOWN;
      case 'seed':
        if (path?.join('.').endsWith('np.random.seed') || path?.join('.').endsWith('numpy.random.seed')) this.trainSeed = e.args[0] ? this.constDsl(e.args[0], 'the seed') : null;
        else this.randomSeed = e.args[0] ? this.constDsl(e.args[0], 'the seed') : null;
        return UNKNOWN;
      case 'generate_example':
        return { k: 'unknown', why: 'generate_example(...) makes random examples when Python runs' };
      case 'add':
      case 'Add':
      case 'Concatenate':
      case 'Multiply':
      case 'Average':
      case 'multiply':
      case 'average':
        this.evalArguments(e);
        return { k: 'unknown', why: `${name} merges branches of a functional model` };
    }
    const cells = this.tf1(name, e);
    if (cells) return cells;
    // Keras's cells and the cells of Keras 2 and TF Addons: read when RNN(...) takes them.
    if (LAYERS.get(name)?.category === 'cell') return { k: 'cell', call: e };
    const defined = e.callee.k === 'name' ? this.scope.get(e.callee.name) : undefined;
    // A class the script imports but the language does not know (Conv2D, a custom layer) needs no reason.
    const why = defined?.k === 'unknown' && defined.why ? defined.why : /^[A-Z]/.test(name) ? undefined : `${this.source(e.callee)}(...) is computed by Python`;
    const optimizer = optimizerCall(e, this);
    if (optimizer) return optimizer;
    this.evalArguments(e);
    return { k: 'unknown', why };
  }

  /** The arguments of a call the importer does not follow, read for what they build. */
  private evalArguments(e: Call): void {
    for (const a of e.args) this.eval(a);
    for (const k of e.kwargs) this.eval(k.value);
  }

  private method(owner: Val, method: string, e: Call): Val | null {
    switch (owner.k) {
      case 'model':
        return this.modelMethod(owner.build, method, e);
      case 'array':
        if (method === 'reshape') return reshapeArray(owner, e, this);
        if (method === 'astype') return owner;
        return null;
      case 'data':
        return method === 'reshape' || method === 'astype' ? owner : null;
      case 'csv':
        // raw.drop(columns=[label]): every column but the labels, the features' default.
        return method === 'to_numpy' || method === 'astype' || method === 'dropna' || method === 'drop' ? owner : null;
      case 'csvColumn':
        return method === 'to_numpy' || method === 'astype' ? owner : null;
      case 'unknown':
        // list(frame.columns).index('temperature'): the target column of an exported CSV window.
        if (method === 'index' && e.callee.k === 'attr' && e.callee.object.k === 'call' && calleeName(e.callee.object.callee) === 'list' && e.args[0]?.k === 'str') {
          return this.eval(e.args[0]);
        }
        return null;
      default:
        return null;
    }
  }

  private modelMethod(build: ModelBuild, method: string, e: Call): Val {
    switch (method) {
      case 'add': {
        const v = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
        this.addLayer(build, v, e.args[0] ?? e);
        return UNKNOWN;
      }
      case 'compile':
        compile(build, e, this);
        return UNKNOWN;
      case 'fit':
        fit(build, e, this, this.trainSeed);
        return UNKNOWN;
      case 'predict':
        predict(build, e, this);
        return UNKNOWN;
      case 'build': {
        const shape = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
        if (shape.k === 'const' && Array.isArray(shape.value) && !build.draft.lines.some((l) => 'text' in l && /^(input|Input)\(/.test(l.text))) {
          const dims = shape.value.slice(1).map((d) => (d === null ? 'None' : String(d)));
          build.draft.lines.unshift({ text: `input(${dims.join(', ')})` });
        }
        return UNKNOWN;
      }
      default:
        if (!QUIET_METHODS.has(method)) this.warn(e, `${this.source(e)} is not imported.`, build.draft);
        return UNKNOWN;
    }
  }

  private addLayer(build: ModelBuild, v: Val, at: PyExpr): void {
    let line: LayerLine | null = null;
    if (v.k === 'layer') line = v.line;
    else if (v.k === 'tensor' && v.chain.length === 1 && v.chain[0].isInput) line = v.chain[0];
    if (!line) {
      const why = v.k === 'unknown' && v.why ? `: ${v.why}` : '';
      this.warn(at, `${this.source(at)} is not a layer SeqModel knows${why}; not imported.`, build.draft);
      return;
    }
    this.place(build, line, at);
  }

  /** A layer line into a model, or its problem as a note there. */
  private place(build: ModelBuild, line: LayerLine, at: { from: number } = line): void {
    this.used.add(line.from);
    if (line.problem) this.warn(at, line.problem, build.draft);
    else build.draft.lines.push({ text: line.text });
  }

  private newModel(base: string): ModelBuild {
    const build: ModelBuild = { draft: this.draft.addModel(base), compiled: null, compileFrom: 0, settingsUsed: false, inFunction: this.depth > 0 };
    this.builds.push(build);
    return build;
  }

  /**
   * After the script: a layer never added to a model the importer follows (self.model.add(...)
   * on an object it cannot see) is reported, and a model compiled but never fitted keeps its
   * settings in a note.
   */
  finish(): void {
    for (const [from, call] of this.created) {
      if (!this.used.has(from)) this.warn(call, `${this.source(call)} is not in a model the importer can follow (Sequential(...) or Model(...) assigned to a name); not imported.`);
    }
    for (const f of this.functions) {
      if (!this.called.has(f.from) && !EXPORTED_RECIPES.includes(f.name) && this.touchesModels(f.body)) {
        this.warn(f, `the function ${f.name} builds or trains a model but the script never calls it where the importer can follow; not imported.`);
      }
    }
    for (const b of this.builds) {
      if (!b.compiled || b.settingsUsed || b.compiled.length === 0) continue;
      const settings = b.compiled.map(([k, v]) => `${k} = ${v}`).join(', ');
      this.warn({ from: b.compileFrom }, `compiled with ${settings} but not fitted on data the importer can describe: add a data source and a train block to train it here.`, b.draft);
    }
  }

  private sequential(e: Call): Val {
    const build = this.newModel(this.modelName(e));
    const layers = e.args[0] ?? e.kwargs.find((k) => k.name === 'layers')?.value;
    if (layers) {
      if (layers.k === 'list' || layers.k === 'tuple') for (const item of layers.items) this.addLayer(build, this.eval(item), item);
      else {
        // Sequential(layers) with a list built before.
        const list = this.eval(layers);
        if (list.k === 'list' || list.k === 'tuple') for (const item of list.items) this.addLayer(build, item, layers);
        else this.warn(layers, `the layers ${this.source(layers)} are not a list the importer can follow; not imported.`, build.draft);
      }
    }
    return { k: 'model', build };
  }

  private modelName(e: Call): string {
    const named = e.kwargs.find((k) => k.name === 'name')?.value;
    if (named?.k === 'str') return named.value;
    return this.pendingName;
  }

  /** Model(inputs=x, outputs=y) over one chain of layers: a sequential model. */
  private functional(e: Call): Val {
    const inputsExpr = e.kwargs.find((k) => k.name === 'inputs')?.value ?? e.args[0];
    const outputsExpr = e.kwargs.find((k) => k.name === 'outputs')?.value ?? e.args[1];
    const build = this.newModel(this.modelName(e));
    const inputs = inputsExpr ? this.eval(inputsExpr) : UNKNOWN;
    const outputs = outputsExpr ? this.eval(outputsExpr) : UNKNOWN;
    const outs = outputs.k === 'list' || outputs.k === 'tuple' ? outputs.items : [outputs];
    const input = inputs.k === 'list' || inputs.k === 'tuple' ? (inputs.items.length === 1 ? inputs.items[0] : UNKNOWN) : inputs;
    const chain = outs[0]?.k === 'tensor' ? outs[0].chain : null;
    const linear =
      chain && input.k === 'tensor' && input.chain.length === 1 && chain[0] === input.chain[0] && outs.every((o) => o.k === 'tensor' && o.chain === chain);
    if (!linear || !chain) {
      const why = [inputs, ...outs].find((v) => v.k === 'unknown' && v.why) as { why: string } | undefined;
      this.warn(e, `${this.source(e)} is a functional model with several inputs, outputs or branches${why ? ` (${why.why})` : ''}; SeqModel models are sequential, so it is not imported.`, build.draft);
      return { k: 'model', build };
    }
    for (const line of chain) this.place(build, line);
    return { k: 'model', build };
  }

  private array(e: Call): Val {
    const v = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
    if (v.k === 'const') return arrayFrom(v.value) ?? { k: 'unknown', why: `${this.source(e)} is not an array of numbers` };
    if (v.k === 'array' || v.k === 'data' || v.k === 'csv') return v;
    return v.k === 'unknown' ? v : UNKNOWN;
  }

  private callFunction(fn: Extract<Val, { k: 'function' }>, e: Call): Val {
    this.called.add(fn.from);
    if (this.depth > 8) return { k: 'unknown', why: 'functions nested too deeply' };
    const outer = this.scope;
    const inner = new Scope(outer);
    fn.params.forEach((p, i) => {
      const arg = e.kwargs.find((k) => k.name === p)?.value ?? e.args[i];
      if (arg) inner.set(p, this.eval(arg));
    });
    this.scope = inner;
    this.depth++;
    let result: Val = UNKNOWN;
    try {
      for (const s of fn.body) {
        if (s.k === 'return') {
          result = s.value ? this.eval(s.value) : UNKNOWN;
          break;
        }
        this.statement(s);
      }
    } finally {
      this.scope = outer;
      this.depth--;
    }
    return result;
  }

  /**
   * TensorFlow 1 code of the LSTM material: LSTMCell(n) cells stacked by MultiRNNCell and run
   * by tf.nn.dynamic_rnn over a placeholder [None, steps, features]. Each cell is a recurrent
   * layer that returns its whole sequence (dynamic_rnn's output is every step of the top cell),
   * with the same weights as Keras's layer: 4 × ((features + units) × units + units) for LSTM.
   */
  private tf1(name: string, e: Call): Val | null {
    const cellLayers: Record<string, string> = { LSTMCell: 'LSTM', BasicLSTMCell: 'LSTM', GRUCell: 'GRU', BasicRNNCell: 'SimpleRNN', RNNCell: 'SimpleRNN' };
    if (cellLayers[name]) {
      const units = e.args[0] ?? e.kwargs.find((k) => k.name === 'num_units')?.value;
      if (!units) throw new ImportProblem(`${name} needs num_units`, e);
      const extra = cellLayers[name] === 'GRU' ? ', reset_after=False' : '';
      return { k: 'cells', layers: [{ text: `${cellLayers[name]}(${this.constDsl(units, 'num_units')}, return_sequences=True${extra})`, from: e.from }], call: e };
    }
    if (name === 'MultiRNNCell') {
      const cells = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
      const items = cells.k === 'list' || cells.k === 'tuple' ? cells.items : [];
      if (items.length === 0 || !items.every((c) => c.k === 'cells')) return { k: 'unknown', why: 'MultiRNNCell of cells the importer cannot follow' };
      return { k: 'cells', layers: items.flatMap((c) => (c as Extract<Val, { k: 'cells' }>).layers) };
    }
    if (name === 'placeholder') {
      const shape = e.args[1] ?? e.kwargs.find((k) => k.name === 'shape')?.value;
      const v = shape ? this.eval(shape) : UNKNOWN;
      if (v.k !== 'const' || !Array.isArray(v.value) || v.value.length < 2) return { k: 'unknown', why: 'a placeholder without a constant shape' };
      const dims = v.value.slice(1).map((d) => (d === null ? 'None' : String(d)));
      return { k: 'tensor', chain: [{ text: `input(${dims.join(', ')})`, from: e.from, isInput: true }], outputs: 1 };
    }
    if (name === 'dynamic_rnn') {
      const cells = e.args[0] ? this.eval(e.args[0]) : UNKNOWN;
      const input = e.args[1] ? this.eval(e.args[1]) : e.kwargs.find((k) => k.name === 'inputs') ? this.eval(e.kwargs.find((k) => k.name === 'inputs')!.value) : UNKNOWN;
      if (cells.k !== 'cells' || input.k !== 'tensor') return { k: 'unknown', why: 'dynamic_rnn over cells or inputs the importer cannot follow' };
      const base = e.args[0]?.k === 'name' ? e.args[0].name : this.pendingName;
      const build = this.newModel(base);
      for (const line of [...input.chain, ...cells.layers]) this.place(build, line);
      const output: Val = { k: 'tensor', chain: [...input.chain, ...cells.layers], outputs: 1 };
      return { k: 'tuple', items: [output, UNKNOWN] };
    }
    return null;
  }

}

function isMainGuard(test: PyExpr | null): boolean {
  if (test?.k !== 'binary' || test.op !== '==') return false;
  const sides = [test.left, test.right];
  return sides.some((e) => e.k === 'name' && e.name === '__name__') && sides.some((e) => e.k === 'str' && e.value === '__main__');
}

/** Parenthesise a binary operand so the .seqmodel expression keeps Python's grouping. */
function wrap(e: PyExpr, dsl: string): string {
  return e.k === 'binary' || (e.k === 'unary' && /\s/.test(dsl)) ? `(${dsl})` : dsl;
}
