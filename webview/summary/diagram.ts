// The layer diagram: one box per layer from the input down, each with its type, its input →
// output shapes and its parameter count, and a bar for its share of the model's parameters.
// Wrappers (Bidirectional, TimeDistributed) show the wrapped layer inside their box. Plain SVG
// built with createElementNS; colours come from CSS classes using the theme's variables.
import { formatCount, formatShape, formatShapes, type LayerCategory, type LayerInfo, type ModelInfo } from '../../src/language';
import { svg } from '../shared/dom';

const WIDTH = 420;
const BOX_WIDTH = 380;
const LINE = 17;
const GAP = 26;
const PAD = 10;

/** The diagram's colour groups (summary.css gives each an accent). */
export type ColourGroup = 'recurrent' | 'dense' | 'normalization' | 'convolution' | 'other';

// One colour per layer category (the engine's LayerSpec.category): a Record over every
// category, so a new category does not compile until it has a colour.
const COLOUR: Record<LayerCategory, ColourGroup> = {
  recurrent: 'recurrent',
  core: 'dense',
  embedding: 'dense',
  normalization: 'normalization',
  convolution: 'convolution',
  pooling: 'convolution',
  regularization: 'other',
  reshaping: 'other',
  wrapper: 'other',
  cell: 'recurrent',
};

/** A wrapper takes its wrapped layer's colour: Bidirectional(LSTM) is recurrent. */
export function colourOf(layer: LayerInfo): ColourGroup {
  // Run states saved before layers carried a category have none: plain colour.
  return COLOUR[(layer.inner ?? layer).category] ?? 'other';
}

function units(layer: LayerInfo): string {
  const value = layer.config.units ?? layer.config.filters ?? layer.config.rate ?? layer.config.n;
  return typeof value === 'number' ? `(${value})` : '';
}

export function layerDiagram(model: ModelInfo, onSelect: (layer: LayerInfo) => void): SVGSVGElement {
  const root = svg('svg', { class: 'diagram', role: 'img', 'aria-label': `Layers of ${model.name}` });
  let y = 4;
  const x = (WIDTH - BOX_WIDTH) / 2;
  const total = Math.max(1, model.params.total);

  const input = model.inputShape ?? model.layers[0]?.inputShape;
  if (input) {
    const g = svg('g', { class: 'node input' });
    g.append(
      svg('rect', { x, y, width: BOX_WIDTH, height: LINE * 2 + PAD * 2, rx: 4 }),
      svg('text', { x: x + PAD, y: y + PAD + LINE - 4, class: 'title' }, 'Input'),
      svg('text', { x: x + PAD, y: y + PAD + LINE * 2 - 4, class: 'shape' }, formatShape(input)),
    );
    root.append(g);
    y += LINE * 2 + PAD * 2;
  }

  for (const layer of model.layers) {
    if (y > 4) {
      root.append(svg('path', { class: 'edge', d: `M ${WIDTH / 2} ${y} v ${GAP - 6}` }), svg('path', { class: 'arrow', d: `M ${WIDTH / 2 - 5} ${y + GAP - 8} l 5 7 l 5 -7 z` }));
      y += GAP;
    }
    const innerLines = layer.inner ? 2 : 0;
    const height = PAD * 2 + LINE * (3 + innerLines) + 6;
    const g = svg('g', {
      class: `node layer ${colourOf(layer)}`,
      tabindex: 0,
      role: 'button',
      'data-layer': layer.name,
      'aria-label': `${layer.name}: ${layer.type}, output ${formatShapes(layer.outputShapes)}, ${formatCount(layer.params.total)} parameters`,
    });
    g.append(svg('title', {}, layer.formula || `${formatCount(layer.params.total)} parameters`));
    g.append(svg('rect', { x, y, width: BOX_WIDTH, height, rx: 4 }));
    g.append(svg('rect', { class: 'accent', x, y, width: 5, height, rx: 2 }));
    let ty = y + PAD + LINE - 4;
    g.append(svg('text', { x: x + PAD + 4, y: ty, class: 'title' }, `${layer.name}: ${layer.type}${units(layer)}`));
    ty += LINE;
    g.append(svg('text', { x: x + PAD + 4, y: ty, class: 'shape' }, `${formatShape(layer.inputShape)} → ${formatShapes(layer.outputShapes)}`));
    if (layer.inner) {
      ty += LINE;
      const inner = layer.inner;
      g.append(svg('rect', { class: 'inner', x: x + PAD + 4, y: ty - LINE + 5, width: BOX_WIDTH - PAD * 2 - 4, height: LINE * 2 + 2, rx: 3 }));
      g.append(svg('text', { x: x + PAD + 10, y: ty + 2, class: 'inner-title' }, `${inner.name}: ${inner.type}${units(inner)}`));
      ty += LINE;
      g.append(svg('text', { x: x + PAD + 10, y: ty, class: 'shape' }, `${formatShape(inner.inputShape)} → ${formatShapes(inner.outputShapes)}, ${formatCount(inner.params.total)} params`));
    }
    ty += LINE;
    const nonTrainable = layer.params.nonTrainable ? ` (${formatCount(layer.params.nonTrainable)} non-trainable)` : '';
    g.append(svg('text', { x: x + PAD + 4, y: ty, class: 'params' }, `${formatCount(layer.params.total)} params${nonTrainable}`));
    // The share of the model's parameters, so the heavy layers stand out at a glance.
    const barWidth = BOX_WIDTH - PAD * 2 - 4;
    g.append(svg('rect', { class: 'share-track', x: x + PAD + 4, y: ty + 5, width: barWidth, height: 3 }));
    g.append(svg('rect', { class: 'share', x: x + PAD + 4, y: ty + 5, width: (barWidth * layer.params.total) / total, height: 3 }));
    g.addEventListener('click', () => onSelect(layer));
    g.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(layer);
      }
    });
    root.append(g);
    y += height;
  }
  // Natural size from the attributes; summary.css lets it shrink to a narrow column (height
  // following the viewBox's aspect ratio) down to a readable minimum, then its host scrolls.
  root.setAttribute('viewBox', `0 0 ${WIDTH} ${y + 4}`);
  root.setAttribute('width', String(WIDTH));
  root.setAttribute('height', String(y + 4));
  return root;
}
