import type * as A from './ast';
import { DiagnosticCollector, PROBLEMS_BUILT, type DiagnosticSink } from './diagnosticCollector';
import type { ProblemList } from './problemList';
import { detached } from './detached';
import { diagnostic, type Diagnostic } from './diagnostics';
import { Lexer, stringValue, tokenError } from './lexer';
import { quoteText } from './text';
import type { Span } from './model';
import { firstComment, KeptTokens, type LexedText } from './relex';
import { prefixLength } from './search';
import { runSteps, STEP_SIZE, type Steps } from './steps';
import { TokenTable } from './tokenTable';
import { TopLevelRecorder, type TopLevelMap } from './topLevel';
import type { Token } from './tokens';

// An error-tolerant recursive-descent parser. It never throws: every problem becomes a
// diagnostic, and it resynchronises at line ends, braces and statement keywords so that one
// typo never hides the rest of the file.

export interface ParseResult {
  document: A.Document;
  diagnostics: Diagnostic[];
  /** Where the parse stood between statements (what an edit's reparse resumes at, incremental.ts). */
  top: TopLevelMap;
  /** The text's tokens, kept when it has a statement too long to lex again on each edit (see KEEP_TOKENS). */
  lexed?: KeptTokens;
}

/**
 * Tokens in one statement (not a block closed by its `}`, whose lines an edit parses again
 * apart) from which the text's tokens are kept for the next edit (relex.ts): such a statement
 * is parsed again whole after an edit inside it, and lexing it again would be a pass over all
 * of it. Below this, lexing it again costs about as much as copying the kept tokens.
 */
const KEEP_TOKENS = 16384;

/**
 * The least characters a reparse reads for it to read kept tokens (made from the last ones
 * then, relex.ts: a copy of them all) rather than lex its window again: a quarter of the text,
 * and 16 KB. Lexing costs some 25 ns a character, copying a token some 5.
 */
const READ_KEPT = 16384;

const STATEMENT_KEYWORDS = new Set(['let', 'data', 'model', 'train', 'predict']);
const MAX_NESTING = 100;
const MAX_OPERANDS = 1000;
/**
 * Arguments read in one call: a layer takes a few dozen at most, and a megabyte of `1,` in one
 * call would otherwise be half a million argument nodes kept in the tree.
 */
const MAX_ARGUMENTS = 1000;
/** Distinct names kept for interning: layer classes, argument names and constants are far fewer. */
const MAX_INTERNED = 4096;

/**
 * A list the tree keeps, at its own length. An array grown by push reserves room for 17
 * elements at its first push (152 bytes); a file of 100,000 one-argument calls or one-layer
 * models keeps 100,000 of them, so the short ones are copied to their size (the copy is young
 * garbage, cheap) and long ones, whose slack is relatively small, are kept as they are.
 */
function exact<T>(list: T[]): T[] {
  return list.length < 16 ? list.slice() : list;
}

/** The statements in which an expression was too deep or too long and skipped (see Parser.tooDeep). */
const ABANDONED = new WeakSet<A.Statement>();

/** Whether parsing this statement skipped an expression too deep or too long: its later brackets went unreported, a state an incremental parse does not replay. */
export function skippedInside(stmt: A.Statement): boolean {
  return ABANDONED.has(stmt);
}

/**
 * Layer lines written in brackets of their own, `(Dense(4))` or `(` then `Dense(4)` on the next
 * line: the tree keeps the inner layer (Python's rule), whose span starts after the `(`. An
 * incremental parse resumes only where a line's parse began, which such a layer's start is not.
 */
const BRACKETED = new WeakSet<A.Expr>();

/** Whether this layer's line began before it, at a bracket of its own (see BRACKETED). */
export function bracketed(layer: A.Expr): boolean {
  return BRACKETED.has(layer);
}

/** A stretch of a model's layer lines parsed again after an edit (see reparseLayers). */
export interface LayerReparse {
  layers: A.Expr[];
  comments: A.Comment[];
  /** Problems found from `from` up to `stop`, in position order. */
  diagnostics: Diagnostic[];
  /** The first token of the line where the parse stopped: the old parse stood at the same place in the same state. */
  stop: Token;
  /** How many of `diagnostics` are on the stop token (see foundBefore): the old parse may have others there, from its lines before. */
  onStop: number;
}

/**
 * Parses the layer lines of a model block from `from` (the start of a line of the block, at
 * bracket depth 0, as the full parse saw it) and stops at the first line for which `stop`
 * (given its first token) says the old parse resumes there. Tokens are read only up to
 * `limit`: null when the parse needs more, or never comes to such a line, or skipped an
 * expression too deep (a state the rest of the block would carry), or found more problems
 * than are listed.
 */
export function reparseLayers(text: string, from: number, limit: number, open: Span, owner: string, stop: (t: Token) => boolean, lexed?: KeptTokens): LayerReparse | null {
  const out = new DiagnosticCollector();
  const parser = new Parser(out);
  runSteps(parser.load(text, from, limit, lexed));
  const layers: A.Expr[] = [];
  parser.stopAt = stop;
  runSteps(parser.parseBlockItems(open, owner, 'layer', () => layers.push(parser.parseLayer())));
  const at = parser.stopped;
  if (!at || parser.skips > 0 || !out.complete) return null;
  const diagnostics = out.list().filter((d) => foundBefore(d.span.start, d.span.end, at));
  return {
    layers,
    comments: parser.comments.filter((c) => c.span.start < at.start),
    diagnostics,
    stop: at,
    onStop: diagnostics.length - prefixLength(diagnostics.length, (i) => diagnostics[i].span.start < at.start || diagnostics[i].span.end === at.start),
  };
}

/**
 * Whether a problem an incremental parse reported belongs to the part it parsed, which ends at
 * the token `at` it stopped at: a problem before that token, an empty one at it (a `)` missing
 * before it), and one on it that the parse reported while reading the lines before it
 * (`Dense(k //` then `}`: a value expected at the `}`). Not the lexer's: it read on past the
 * stop, its problems there are the old ones. The two never meet on one token: the lexer finds
 * a problem only in a token every parse takes as a value (an invalid character, an unterminated
 * string, a bad number), and a token taken while reading the lines before is no place to stop.
 */
function foundBefore(start: number, end: number, at: Token): boolean {
  return start < at.start || (start === at.start && (end === at.start || at.error === undefined));
}

/** Statements parsed again after an edit (see reparseStatements); `stop` null when the parse reached the end of the text. */
export interface StatementReparse {
  statements: A.Statement[];
  comments: A.Comment[];
  /** Every problem found from `from` up to `stop`, in position order (past the listed ones, positions only). */
  problems: ProblemList;
  top: TopLevelMap;
  /** Where the parse stopped (between statements, where `stop` said the old parse stood too), or null at the end of the text. */
  stop: number | null;
  /** How many of `problems` are on the token at the stop (see foundBefore): the old parse may have others there, from its statements before. */
  onStop: number;
  /** The text's tokens, when they were lexed here from its start to its end and a statement is long enough to keep them for (KEEP_TOKENS). */
  lexed?: KeptTokens;
}

/**
 * Parses statements from `from` (where the full parse stood between statements) and stops at
 * the first place between statements (a separator or a statement's first token) for which
 * `stop` says the old parse stood there too, or at the end of the text. Tokens are read only
 * up to `limit`: null when the parse needs more.
 */
export function reparseStatements(text: string, from: number, limit: number, stop: (at: number) => boolean, lexed?: KeptTokens): StatementReparse | null {
  const out = new DiagnosticCollector(PROBLEMS_BUILT, true);
  const parser = new Parser(out);
  runSteps(parser.load(text, from, limit, lexed));
  parser.stopStatementsAt = stop;
  const { statements } = runSteps(parser.parseDocument());
  const stopped = parser.stopped;
  const at = stopped ? stopped.start : null;
  if (at === null && limit < text.length) return null;
  const before = (start: number, end: number) => at === null || start < at || (start === at && end === at);
  const all = out.problems();
  const problems = stopped ? all.upTo((start, end) => foundBefore(start, end, stopped)) : all;
  return {
    statements,
    comments: parser.comments.filter((c) => before(c.span.start, c.span.end)),
    problems,
    onStop: at === null ? 0 : problems.countOn(at),
    top: parser.top.finish(),
    stop: at,
    lexed: !lexed && from === 0 && at === null && parser.longest >= KEEP_TOKENS ? KeptTokens.of(parser.lexed(), text) : undefined,
  };
}

/** Every token and comment of a text, as a parse reads them (what relex.ts builds an edited text's from). */
export function lexText(text: string): LexedText {
  const parser = new Parser(new DiagnosticCollector());
  runSteps(parser.load(text));
  return parser.lexed();
}

export function parse(text: string): ParseResult {
  return runSteps(parseSteps(text));
}

/** The parse in steps: every few thousand tokens, then every STEP_SIZE statements or block lines (see steps.ts). */
export function* parseSteps(text: string, out = new DiagnosticCollector()): Steps<ParseResult> {
  const parser = new Parser(out);
  yield* parser.load(text);
  const document = yield* parser.parseDocument();
  const lexed = parser.longest >= KEEP_TOKENS ? KeptTokens.of(parser.lexed(), text) : undefined;
  return { document, diagnostics: out.list(), top: parser.top.finish(), lexed };
}

class Parser {
  private tokens!: TokenTable;
  private text = '';
  private pos = 0;
  /** Inside ( ) or [ ], newlines are insignificant. */
  private depth = 0;
  /** Expression recursion depth, bounded by MAX_NESTING. */
  private nesting = 0;
  /** Set when an expression was too deep and skipped: its brackets are not reported one by one. */
  private abandoned = false;
  /** How many expressions were skipped as too deep or too long. */
  skips = 0;
  /** For an incremental parse: where to stop a block's lines (see reparseLayers) or the statements (see reparseStatements), and the token it stopped at. */
  stopAt?: (t: Token) => boolean;
  stopStatementsAt?: (at: number) => boolean;
  stopped?: Token;
  /** Where the parse stood between statements (see topLevel.ts). */
  readonly top = new TopLevelRecorder();
  /** The furthest token looked at: a turn of the statement loop that looked past its end makes the separators after it no place to start again. */
  private reach = -1;
  readonly comments: A.Comment[] = [];
  /** One string per distinct name (see intern). */
  private readonly names = new Map<string, string>();
  /** The most tokens one statement took, blocks closed by their `}` aside (see KEEP_TOKENS). */
  longest = 0;

  constructor(private readonly out: DiagnosticSink) {}

  /**
   * Reads the tokens from `from` up to `limit`, keeping comments aside for the formatter and
   * the outline; from `lexed`, the text's kept tokens (relex.ts), when given and worth it (READ_KEPT).
   */
  *load(text: string, from = 0, limit = Infinity, lexed?: KeptTokens): Steps<void> {
    this.text = text;
    const span = Math.min(limit, text.length) - from;
    if (lexed && span >= READ_KEPT && span * 4 >= text.length) return this.loadLexed(lexed.get(), from, limit);
    const lexer = new Lexer(text).startAt(from);
    const tokens = (this.tokens = new TokenTable(text));
    const every = STEP_SIZE * 16;
    for (let n = 1; ; n++) {
      if (n % every === 0) yield;
      // Kinds and spans only: an object is made for a token when the parser looks at it.
      const kind = lexer.advance();
      const { start, end } = lexer;
      // Past the limit of an incremental parse: an end the parse must not reach (see reparseLayers).
      if (start >= limit && kind !== 'eof') {
        tokens.push('eof', start, start);
        return;
      }
      if (kind === 'comment') this.comments.push({ span: { start, end }, text: detached(text.slice(start, end)) });
      else {
        const index = tokens.push(kind, start, end, lexer.error !== undefined);
        if (lexer.error) {
          const span = { start, end };
          this.out.report('error', span, () => diagnostic('syntax-error', 'error', span, tokenError(tokens.token(index))));
        }
      }
      if (kind === 'eof') return;
    }
  }

  /** load() from tokens made already: the window of them from `from` to `limit`, their problems reported as the lexer reports them. */
  private loadLexed(lexed: LexedText, from: number, limit: number): void {
    const all = lexed.tokens;
    const first = all.indexAt(from);
    // Read to the end (the statement of a megabyte): the text's own table from the first token
    // on, not a copy; the parser reads no token before it that a window starting there lacks.
    const whole = all.indexAt(limit) >= all.length - 1;
    const tokens = (this.tokens = whole ? all : all.window(first, limit));
    this.pos = whole ? first : 0;
    for (let i = this.pos; i < tokens.length && tokens.failures > 0; i++) {
      if (!tokens.failed(i)) continue;
      const span = { start: tokens.start(i), end: tokens.end(i) };
      this.out.report('error', span, () => diagnostic('syntax-error', 'error', span, tokenError(tokens.token(i))));
    }
    const { comments } = lexed;
    for (let c = firstComment(comments, from); c < comments.length && comments[c].span.start < limit; c++) this.comments.push(comments[c]);
  }

  /** The whole text's tokens and comments (a parse from its start to its end): kept for the next edit's re-lex. */
  lexed(): LexedText {
    return { tokens: this.tokens.trimmed(), comments: this.comments };
  }

  *parseDocument(): Steps<A.Document> {
    const statements: A.Statement[] = [];
    const tokens = this.tokens;
    const stop = this.stopStatementsAt;
    for (let n = 1; ; n++) {
      if (n % STEP_SIZE === 0) yield;
      // Between statements: the separators of this turn, then its first token (see topLevel.ts).
      const runStart = tokens.start(this.pos);
      const runPos = this.pos;
      // How far the turn before looked (the peek below reads on).
      const reach = this.reach;
      const clean = reach <= runPos;
      for (let k = 1; ; k++) {
        const kind = tokens.kind(this.pos);
        if (kind !== 'newline' && !(kind === 'punct' && tokens.firstChar(this.pos) === 59 /* ; */)) break;
        if (stop?.(tokens.start(this.pos))) {
          this.stopped = tokens.token(this.pos);
          this.top.push(runStart, this.stopped.start, clean);
          return { statements, comments: this.comments };
        }
        this.pos++;
        // A megabyte of line breaks is one run: steps within it too.
        if (k % (STEP_SIZE * 16) === 0) yield;
      }
      const t = this.peek();
      // A turn without separators is clean only if the turn before did not look at its first token.
      this.top.push(runStart, t.start, this.pos === runPos ? reach < runPos : clean);
      if (t.kind === 'eof') break;
      if (stop?.(t.start)) {
        this.stopped = t;
        break;
      }
      const before = this.pos;
      const skips = this.skips;
      const stmt = yield* this.parseStatement();
      if (stmt) statements.push(stmt);
      if (this.pos - before > this.longest && !(stmt && (stmt.kind === 'model' || stmt.kind === 'train') && stmt.close)) this.longest = this.pos - before;
      if (stmt && this.skips > skips) ABANDONED.add(stmt);
      if (this.pos === before) this.advance(); // guarantees progress on any input
    }
    return { statements, comments: this.comments };
  }

  /**
   * The one copy of a name the tree keeps: each token's text is a fresh slice of the document,
   * and a model of 100,000 `Dense(1)` lines kept 100,000 strings "Dense" (3.8 MB). The copy
   * refers to no other string: a long name sliced from the text would keep this version's whole
   * text alive as long as the tree lives on (detached.ts).
   */
  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    const own = detached(name);
    // A file of distinct names gains nothing: the table stops growing (it dies with the parser).
    if (this.names.size < MAX_INTERNED) this.names.set(own, own);
    return own;
  }

  // ---- token cursor -------------------------------------------------------------------

  private peek(offset = 0): Token {
    const tokens = this.tokens;
    let i = this.pos;
    let seen = 0;
    for (;;) {
      const kind = tokens.kind(i);
      if (i > this.reach) this.reach = i;
      if (kind === 'eof') return tokens.token(i);
      if (kind === 'newline' && this.depth > 0) {
        i++;
        continue;
      }
      if (seen === offset) return tokens.token(i);
      seen++;
      i++;
    }
  }

  private advance(): Token {
    while (this.depth > 0 && this.tokens.kind(this.pos) === 'newline') this.pos++;
    const t = this.tokens.token(this.pos);
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private previousEnd(): number {
    for (let i = this.pos - 1; i >= 0; i--) {
      if (this.tokens.kind(i) !== 'newline') return this.tokens.end(i);
    }
    return 0;
  }

  /** Reports a bracket left open, unless the expression was already reported as too deep. */
  private unclosed(open: Token, message: () => string): void {
    if (!this.abandoned) this.error({ start: open.start, end: open.end }, message);
  }

  /** Whether a line break stands between the previous token and `t`. */
  private newlineBefore(t: Token): boolean {
    for (let i = this.pos; i < this.tokens.length && this.tokens.start(i) < t.start; i++) {
      if (this.tokens.kind(i) === 'newline') return true;
    }
    return false;
  }

  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
  }

  private eat(text: string): Token | null {
    if (this.is(text)) return this.advance();
    return null;
  }

  private atLineEnd(): boolean {
    const t = this.peek();
    return t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punct' && t.text === ';');
  }

  private skipSeparators(): void {
    for (;;) {
      const kind = this.tokens.kind(this.pos);
      if (kind === 'newline' || (kind === 'punct' && this.tokens.firstChar(this.pos) === 59 /* ; */)) this.pos++;
      else return;
    }
  }

  /** The message is built only if the problem is listed (see DiagnosticSink.report). */
  private error(span: Span, message: () => string): void {
    this.out.report('error', span, () => diagnostic('syntax-error', 'error', span, message()));
  }

  /** An empty span just after the previous token: where something is missing. */
  private missingAt(): Span {
    const end = this.previousEnd();
    return { start: end, end };
  }

  /** Skips to the end of the line (or a closing brace), staying at depth 0. */
  private recoverToLineEnd(): void {
    const savedDepth = this.depth;
    this.depth = 0;
    for (;;) {
      const kind = this.tokens.kind(this.pos);
      if (kind === 'eof' || kind === 'newline') break;
      if (kind === 'punct' && (this.tokens.firstChar(this.pos) === 125 /* } */ || this.tokens.firstChar(this.pos) === 59 /* ; */)) break;
      this.pos++;
    }
    this.depth = savedDepth;
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'the end of the file';
    if (t.kind === 'newline') return 'the end of the line';
    return quoteText(t.text);
  }

  // ---- statements ---------------------------------------------------------------------

  private *parseStatement(): Steps<A.Statement | null> {
    this.abandoned = false;
    const t = this.peek();
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'let':
          return this.parseBinding('let');
        case 'data':
          return this.parseBinding('data');
        case 'model':
          return yield* this.parseModel();
        case 'train':
          return yield* this.parseTrain();
        case 'predict':
          return this.parsePredict();
      }
    }
    if (t.kind === 'ident' && this.is('(', 1)) {
      this.out.report('error', t, () => diagnostic('unknown-statement', 'error', t, `'${t.text}(...)' must be inside a model block: model name { ${t.text}(...) }.`));
    } else if (t.kind === 'ident' && this.is('=', 1)) {
      this.out.report('error', t, () =>
        diagnostic('unknown-statement', 'error', t, `Write 'let ${t.text} = ...' to define a constant.`, [
          { title: `Add 'let'`, edits: [{ span: { start: t.start, end: t.start }, newText: 'let ' }], preferred: true },
        ]),
      );
    } else if (t.kind !== 'invalid') {
      this.out.report('error', t, () => diagnostic('unknown-statement', 'error', t, `Expected a statement (let, data, model, train or predict), found ${this.describe(t)}.`));
    }
    this.recoverToLineEnd();
    if (this.is('}')) this.advance();
    return null;
  }

  private parseIdentAfter(what: string): A.Ident | null {
    const t = this.peek();
    if (t.kind === 'ident') {
      this.advance();
      return { kind: 'ident', span: { start: t.start, end: t.end }, name: this.intern(t.text) };
    }
    if (t.kind === 'keyword') {
      this.error(t, () => `'${t.text}' is a keyword and cannot be used as ${what}.`);
      this.advance();
      return null;
    }
    this.error(this.missingAt(), () => `Expected ${what}.`);
    return null;
  }

  private parseBinding(kind: 'let' | 'data'): A.LetStmt | A.DataStmt {
    const kw = this.advance();
    const name = this.parseIdentAfter(kind === 'let' ? 'a constant name' : 'a data source name');
    let value: A.Expr | null = null;
    if (this.eat('=')) {
      if (this.atLineEnd()) this.error(this.missingAt(), () => 'Expected a value after =.');
      else value = this.parseExpr();
    } else if (name) {
      this.error(this.missingAt(), () => `Expected '=' after '${name.name}'.`);
    }
    if (!this.atLineEnd() && !this.is('}')) {
      const t = this.peek();
      this.error(t, () => `Unexpected ${this.describe(t)} after the ${kind === 'let' ? 'constant' : 'data source'}.`);
      this.recoverToLineEnd();
    }
    const end = this.previousEnd();
    return { kind, span: { start: kw.start, end }, name, value } as A.LetStmt | A.DataStmt;
  }

  private *parseModel(): Steps<A.ModelStmt> {
    const kw = this.advance();
    const name = this.parseIdentAfter('a model name');
    const stmt: A.ModelStmt = { kind: 'model', span: { start: kw.start, end: kw.end }, name, layers: [], open: null, close: null };
    const open = this.eat('{');
    if (!open) {
      this.error(this.missingAt(), () => `Expected '{' to start the layers of model ${name?.name ?? ''}.`.replace(' .', '.'));
      this.recoverToLineEnd();
      stmt.span.end = this.previousEnd();
      return stmt;
    }
    stmt.open = { start: open.start, end: open.end };
    stmt.close = yield* this.parseBlockItems(stmt.open, `Model ${name?.name ?? ''}`.trimEnd(), 'layer', () => {
      stmt.layers.push(this.parseLayer());
    });
    stmt.layers = exact(stmt.layers);
    stmt.span.end = this.previousEnd();
    return stmt;
  }

  /** A layer line's expression, marked when a bracket of its own comes before it (see BRACKETED). */
  parseLayer(): A.Expr {
    const first = this.peek().start;
    const layer = this.parseExpr();
    if (layer.span.start !== first) BRACKETED.add(layer);
    return layer;
  }

  /**
   * The lines of a `{ ... }` block, one item each, up to its `}`; a block left open ends at
   * the next statement keyword. Returns the `}` span, or null when it is missing.
   */
  *parseBlockItems(open: Span, owner: string, item: string, parseItem: () => void): Steps<Span | null> {
    for (let n = 1; ; n++) {
      if (n % STEP_SIZE === 0) yield;
      this.skipSeparators();
      const t = this.peek();
      if (this.stopAt?.(t)) {
        this.stopped = t;
        return null;
      }
      if (t.kind === 'punct' && t.text === '}') {
        this.advance();
        return { start: t.start, end: t.end };
      }
      if (t.kind === 'eof' || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text))) {
        this.error(open, () => `${owner} is missing its closing '}'.`);
        return null;
      }
      const before = this.pos;
      parseItem();
      if (!this.atLineEnd() && !this.is('}')) {
        const next = this.peek();
        this.error(next, () => `Expected one ${item} per line; unexpected ${this.describe(next)}.`);
        this.recoverToLineEnd();
      }
      if (this.pos === before) this.advance();
    }
  }

  private *parseTrain(): Steps<A.TrainStmt> {
    const kw = this.advance();
    const stmt: A.TrainStmt = { kind: 'train', span: { start: kw.start, end: kw.end }, models: [], data: null, settings: [], open: null, close: null };
    const first = this.parseIdentAfter('the name of a model to train');
    if (first) stmt.models.push(first);
    while (this.eat(',')) {
      const m = this.parseIdentAfter('a model name after ,');
      if (m) stmt.models.push(m);
    }
    if (this.eat('on')) {
      stmt.data = this.parseIdentAfter('the name of a data source after on');
    } else if (first) {
      this.error(this.missingAt(), () => `Expected 'on DATA' to say which data trains ${stmt.models.map((m) => m.name).join(', ')}.`);
    }
    const open = this.eat('{');
    if (open) {
      stmt.open = { start: open.start, end: open.end };
      stmt.close = yield* this.parseBlockItems(stmt.open, 'The train block', 'setting', () => {
        const setting = this.parseSetting();
        if (setting) stmt.settings.push(setting);
      });
    } else if (!this.atLineEnd()) {
      const t = this.peek();
      this.error(t, () => `Expected '{' with the training settings, found ${this.describe(t)}.`);
      this.recoverToLineEnd();
    }
    stmt.span.end = this.previousEnd();
    return stmt;
  }

  private parseSetting(): A.Setting | null {
    const t = this.peek();
    if (t.kind !== 'ident') {
      this.error(t, () => `Expected a setting such as 'epochs = 100', found ${this.describe(t)}.`);
      this.recoverToLineEnd();
      return null;
    }
    this.advance();
    const name: A.Ident = { kind: 'ident', span: { start: t.start, end: t.end }, name: this.intern(t.text) };
    let value: A.Expr | null = null;
    if (this.eat('=')) {
      if (this.atLineEnd() || this.is('}')) this.error(this.missingAt(), () => `Expected a value for ${t.text}.`);
      else value = this.parseExpr();
    } else {
      this.error(this.missingAt(), () => `Expected '=' after '${t.text}'.`);
    }
    return { span: { start: t.start, end: this.previousEnd() }, name, value };
  }

  private parsePredict(): A.PredictStmt {
    const kw = this.advance();
    const model = this.parseIdentAfter('the name of the model to predict with');
    let input: A.Expr | null = null;
    if (this.atLineEnd() || this.is('}')) {
      if (model) this.error(this.missingAt(), () => `Expected the input sequence, e.g. predict ${model.name} [70, 80, 90].`);
    } else {
      input = this.parseExpr();
    }
    if (!this.atLineEnd() && !this.is('}')) {
      const t = this.peek();
      this.error(t, () => `Unexpected ${this.describe(t)} after the predict input.`);
      this.recoverToLineEnd();
    }
    return { kind: 'predict', span: { start: kw.start, end: this.previousEnd() }, model, input };
  }

  // ---- expressions --------------------------------------------------------------------

  parseExpr(): A.Expr {
    let left = this.parseTerm();
    for (let operands = 1; ; operands++) {
      const t = this.peek();
      if (t.kind === 'punct' && (t.text === '+' || t.text === '-')) {
        if (operands >= MAX_OPERANDS) return this.tooDeep(t, 'long');
        this.advance();
        const right = this.parseTerm();
        left = { kind: 'binary', op: t.text, left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private parseTerm(): A.Expr {
    let left = this.parseUnary();
    for (let operands = 1; ; operands++) {
      const t = this.peek();
      if (t.kind === 'punct' && (t.text === '*' || t.text === '/' || t.text === '//' || t.text === '%')) {
        if (operands >= MAX_OPERANDS) return this.tooDeep(t, 'long');
        this.advance();
        const right = this.parseUnary();
        left = { kind: 'binary', op: t.text, left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private parseUnary(): A.Expr {
    const t = this.peek();
    // Every tool that walks the tree recurses: bound the nesting so no input can overflow
    // the stack, however many brackets or signs it stacks up.
    if (this.nesting >= MAX_NESTING) return this.tooDeep(t, 'nested');
    this.nesting++;
    try {
      return this.parseUnaryInner(t);
    } finally {
      this.nesting--;
    }
  }

  private parseUnaryInner(t: Token): A.Expr {
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+')) {
      this.advance();
      const operand = this.parseUnary();
      return { kind: 'unary', op: t.text, operand, span: { start: t.start, end: operand.span.end } };
    }
    const base = this.parsePrimary();
    if (this.is('**')) {
      this.advance();
      const exponent = this.parseUnary();
      return { kind: 'binary', op: '**', left: base, right: exponent, span: { start: base.span.start, end: exponent.span.end } };
    }
    return base;
  }

  private parsePrimary(): A.Expr {
    const t = this.peek();
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number':
        this.advance();
        if (t.error) return { kind: 'error', span };
        return { kind: 'number', span, value: t.value as number, isInt: !!t.isInt };
      case 'string':
        this.advance();
        return { kind: 'string', span, value: detached(stringValue(this.text, t)) };
      case 'ident': {
        this.advance();
        if (t.text === 'None') return { kind: 'none', span };
        if (t.text === 'True' || t.text === 'true') return { kind: 'bool', span, value: true };
        if (t.text === 'False' || t.text === 'false') return { kind: 'bool', span, value: false };
        const ident: A.Ident = { kind: 'ident', span, name: this.intern(t.text) };
        if (this.is('(')) return this.parseCall(ident);
        return ident;
      }
      case 'punct':
        if (t.text === '(') return this.parseSequence('(', ')', 'tuple');
        if (t.text === '[') return this.parseSequence('[', ']', 'list');
        break;
      case 'invalid':
        this.advance();
        return { kind: 'error', span };
    }
    const at = t.kind === 'newline' || t.kind === 'eof' ? this.missingAt() : span;
    this.error(at, () => `Expected a value, found ${this.describe(t)}.`);
    // Consume a stray token unless it is structural, so the caller can resynchronise.
    if (t.kind === 'keyword' || (t.kind === 'punct' && !')]},;'.includes(t.text))) this.advance();
    return { kind: 'error', span: at };
  }

  /**
   * Reports an expression too deep or too long to analyse, then skips the rest of it: up to
   * the bracket that closes the enclosing level, or the end of the statement.
   */
  private tooDeep(at: Token, why: 'nested' | 'long'): A.Expr {
    this.abandoned = true;
    this.skips++;
    this.error(at, () => why === 'nested' ? `This expression is nested more than ${MAX_NESTING} levels deep.` : `This expression has more than ${MAX_OPERANDS} operands.`);
    // Over the token table, not token objects: the rest of a megabyte-long sum or of a megabyte
    // of `[` is skipped here, a token object each was most of its parse. As peek() and advance():
    // inside brackets line breaks are passed over (and not taken before the token that ends it).
    // A statement keyword cannot stand inside an expression: it always ends the skip.
    const tokens = this.tokens;
    const end = tokens.expressionEnd(this.pos, this.depth > 0, (i) => STATEMENT_KEYWORDS.has(tokens.token(i).text));
    if (end > this.reach) this.reach = end;
    let pos = end;
    if (this.depth > 0) while (pos > this.pos && tokens.kind(pos - 1) === 'newline') pos--;
    this.pos = pos;
    return { kind: 'error', span: { start: at.start, end: Math.max(at.start, this.previousEnd()) } };
  }

  /** Skips to the bracket that closes the current level (left for the caller), or to what ends an unclosed one. */
  private skipToClose(): void {
    let balance = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text))) return;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) balance++;
      else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) {
        if (balance === 0) return;
        balance--;
      }
      this.advance();
    }
  }

  /** Tokens that end an unclosed bracket: the structure of the file matters more. */
  private stopsBracket(t: Token): boolean {
    return t.kind === 'eof' || (t.kind === 'punct' && t.text === '}') || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text));
  }

  private parseCall(callee: A.Ident): A.Call {
    const open = this.advance();
    this.depth++;
    // Most calls have one argument: a one-element literal, not an empty list grown by push
    // (which reserves 17 slots to copy away in exact()).
    let args: A.Arg[] | null = null;
    let closed = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === ')') {
        this.advance(); // while still inside: skips the newlines before the bracket
        this.depth--;
        closed = true;
        break;
      }
      if (this.stopsBracket(t)) {
        this.depth--;
        this.unclosed(open, () => `'${callee.name}(' is missing its closing ')'.`);
        break;
      }
      if (args && args.length === MAX_ARGUMENTS) {
        this.error(t, () => `${callee.name}(...) has more than ${MAX_ARGUMENTS} arguments; the rest are not read.`);
        this.skipToClose();
        continue;
      }
      const arg = this.parseArg();
      if (args) args.push(arg);
      else args = [arg];
      if (this.eat(',')) continue;
      const next = this.peek();
      if (next.kind === 'punct' && next.text === ')') continue;
      this.depth--;
      // A new line after a complete argument almost always means the ')' was forgotten.
      if (this.newlineBefore(next)) this.unclosed(open, () => `'${callee.name}(' is missing its closing ')'.`);
      else this.error(this.missingAt(), () => `Expected ',' or ')' in the arguments of ${callee.name}, found ${this.describe(next)}.`);
      break;
    }
    const end = this.previousEnd();
    return { kind: 'call', callee, args: args === null ? [] : args.length === 1 ? args : exact(args), closed, argsSpan: { start: open.start, end }, span: { start: callee.span.start, end } };
  }

  private parseArg(): A.Arg {
    const t = this.peek();
    if (t.kind === 'ident' && this.is('=', 1)) {
      this.advance();
      this.advance();
      const name: A.Ident = { kind: 'ident', span: { start: t.start, end: t.end }, name: this.intern(t.text) };
      const next = this.peek();
      if ((next.kind === 'punct' && (next.text === ',' || next.text === ')')) || this.stopsBracket(next)) {
        this.error(this.missingAt(), () => `Expected a value for ${t.text}.`);
        return { name, value: null, span: { start: t.start, end: this.previousEnd() } };
      }
      const value = this.parseExpr();
      return { name, value, span: { start: t.start, end: value.span.end } };
    }
    const value = this.parseExpr();
    return { name: null, value, span: value.span };
  }

  private parseSequence(openText: string, closeText: string, kind: 'tuple' | 'list'): A.Expr {
    const open = this.advance();
    this.depth++;
    const items: A.Expr[] = [];
    let trailingComma = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === closeText) {
        this.advance(); // while still inside: skips the newlines before the bracket
        this.depth--;
        break;
      }
      if (this.stopsBracket(t)) {
        this.depth--;
        this.unclosed(open, () => `'${openText}' is missing its closing '${closeText}'.`);
        break;
      }
      items.push(this.parseExpr());
      trailingComma = false;
      if (this.eat(',')) {
        trailingComma = true;
        continue;
      }
      const next = this.peek();
      if (next.kind === 'punct' && next.text === closeText) continue;
      this.depth--;
      if (this.newlineBefore(next)) this.unclosed(open, () => `'${openText}' is missing its closing '${closeText}'.`);
      else this.error(this.missingAt(), () => `Expected ',' or '${closeText}', found ${this.describe(next)}.`);
      break;
    }
    const span = { start: open.start, end: this.previousEnd() };
    // Python's rule: (x) is just x, (x,) is a one-element tuple.
    if (kind === 'tuple' && items.length === 1 && !trailingComma) return items[0];
    return { kind, span, items: exact(items) };
  }
}

