// Runs in the page before any of its scripts (Playwright init script), standing in for what
// VS Code provides a webview: acquireVsCodeApi() and the theme. Plain browser JavaScript, read as
// text: TypeScript transpilers add helpers (`__name`) that would not exist in the page.
// `setup` is defined by the harness just before this file's text.
/* global setup */
(() => {
  // tsx compiles the test's page.evaluate callbacks with keepNames: give them their helper.
  globalThis.__name = (fn) => fn;
  const w = window;
  w.__posted = [];
  w.__csp = [];
  w.__stateWrites = 0;
  document.addEventListener('securitypolicyviolation', (event) => {
    w.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
  });
  // Init scripts run before the parser has created <html> and <body>: theme them as they appear.
  let themedRoot = false;
  const applyTheme = () => {
    if (!themedRoot && document.documentElement) {
      for (const [name, value] of Object.entries(setup.theme.vars)) document.documentElement.style.setProperty(name, value);
      themedRoot = true;
    }
    if (!document.body) return false;
    document.body.classList.add(setup.theme.bodyClass);
    return true;
  };
  if (!applyTheme()) {
    const observer = new MutationObserver(() => {
      if (applyTheme()) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  }
  let acquired = false;
  w.acquireVsCodeApi = () => {
    // VS Code throws on a second call; so does the stand-in, to catch the mistake.
    if (acquired) throw new Error('acquireVsCodeApi() called twice');
    acquired = true;
    return {
      // Structured clone in VS Code; JSON here, which also proves the messages are plain data.
      postMessage: (message) => w.__posted.push(JSON.parse(JSON.stringify(message))),
      // VS Code keeps the state in the host across reloads; sessionStorage survives reload too.
      getState: () => {
        const text = sessionStorage.getItem('vscode-state');
        return text === null ? undefined : JSON.parse(text);
      },
      setState: (state) => {
        // Set by reload({ abrupt: true }): the page is going without a chance to save.
        if (w.__dropStateWrites) return;
        sessionStorage.setItem('vscode-state', JSON.stringify(state));
        w.__stateWrites++;
      },
    };
  };
})();
