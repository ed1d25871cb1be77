// Markdown built from the user's text (layer names, strings, constants) must show that text,
// never let it become markup: a name like "x [Open](https://example.com)" or one holding
// backticks must not turn into a live link or close the code around it. User text only ever
// goes inside a code span or a fenced block whose backtick fence is longer than any run of
// backticks in it (CommonMark's rule), so nothing inside is interpreted.

function longestRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** `text` as an inline code span, on one line. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(longestRun(oneLine) + 1);
  // A span that starts or ends with a backtick needs a space inside its fence (stripped on display).
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** `text` as a fenced code block of `language`. */
export function codeBlock(language: string, text: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
