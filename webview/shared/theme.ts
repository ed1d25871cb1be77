// Colours come from VS Code's theme variables, read at run time: VS Code sets them on <html>
// and a class on <body> (vscode-light, vscode-dark, vscode-high-contrast[-light]) and changes
// both when the user switches theme. Canvas charts cannot use CSS variables, so they re-read
// these values and redraw when the body class or the <html> style changes.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export interface ChartTheme {
  kind: ThemeKind;
  foreground: string;
  background: string;
  grid: string;
  border: string;
  font: string;
  /** Distinct run colours, from VS Code's chart palette. */
  palette: string[];
  highContrast: boolean;
}

export function chartTheme(): ChartTheme {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const highContrast = kind.startsWith('high-contrast');
  const foreground = cssVar('--vscode-foreground', dark ? '#cccccc' : '#3b3b3b');
  const family = cssVar('--vscode-font-family', 'system-ui, sans-serif');
  const size = cssVar('--vscode-font-size', '13px');
  return {
    kind,
    foreground,
    background: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    grid: cssVar('--vscode-charts-lines', dark ? 'rgba(204,204,204,0.2)' : 'rgba(59,59,59,0.15)'),
    border: cssVar('--vscode-contrastBorder', cssVar('--vscode-panel-border', foreground)),
    font: `${size} ${family}`,
    palette: [
      cssVar('--vscode-charts-blue', dark ? '#3794ff' : '#1a85ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', dark ? '#89d185' : '#388a34'),
      cssVar('--vscode-charts-purple', dark ? '#b180d7' : '#652d90'),
      cssVar('--vscode-charts-red', dark ? '#f14c4c' : '#e51400'),
      cssVar('--vscode-charts-yellow', dark ? '#cca700' : '#bf8803'),
    ],
    highContrast,
  };
}

/** Calls `onChange` after VS Code switches theme (coalesced to one call per frame). */
export function onThemeChange(onChange: () => void): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

let probe: CanvasRenderingContext2D | null = null;

/**
 * `color` (any CSS colour a theme variable may hold) at `alpha` opacity, as rgba() a canvas
 * accepts: painted on a 1×1 canvas and read back, so named, hex and rgb() colours all work.
 */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return color;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return `rgba(${r}, ${g}, ${b}, ${((a / 255) * alpha).toFixed(3)})`;
}

/**
 * The axis style both charts share: theme text, and a faint grid (the theme's chart-line colour
 * is meant for single rules; a full grid of it drowns the curves).
 */
export function themedAxis(theme: ChartTheme) {
  return {
    stroke: theme.foreground,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: withAlpha(theme.grid, theme.highContrast ? 0.6 : 0.45), width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
}
