import { runExportedModel } from './exported-model.js';
import {
  HIDDEN,
  INPUTS,
  trainInBrowser,
  type BrowserBackend,
  type StepReport,
} from './train-in-browser.js';
import { webgpuOffered } from './webgpu-offered.js';

declare global {
  interface Window {
    /** The page's logic, for the headless-Chromium test and the console. */
    spredWeb?: {
      trainInBrowser: typeof trainInBrowser;
      webgpuOffered: typeof webgpuOffered;
      runExportedModel: typeof runExportedModel;
    };
  }
}
window.spredWeb = { trainInBrowser, webgpuOffered, runExportedModel };

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no element #${id}`);
  return found as T;
}

const backend = element<HTMLSelectElement>('backend');
const run = element<HTMLButtonElement>('run');
const line = document.getElementById('loss-line') as unknown as SVGPolylineElement;
const params = new URLSearchParams(location.search);

/** One rect per first-kernel entry (input i, hidden unit j), and a label per input row. */
const SVG = 'http://www.w3.org/2000/svg';
const cells: SVGRectElement[] = [];
const weights = document.getElementById('weights') as unknown as SVGSVGElement;
for (let i = 0; i < INPUTS; i++) {
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '-0.3');
  label.setAttribute('y', String(i + 0.75));
  label.setAttribute('font-size', '0.7');
  label.setAttribute('text-anchor', 'end');
  label.textContent = String(i);
  weights.append(label);
  for (let j = 0; j < HIDDEN; j++) {
    const cell = document.createElementNS(SVG, 'rect');
    cell.setAttribute('x', String(j));
    cell.setAttribute('y', String(i));
    cell.setAttribute('width', '0.95');
    cell.setAttribute('height', '0.95');
    cell.setAttribute('fill', '#36c');
    cell.setAttribute('fill-opacity', '0');
    weights.append(cell);
    cells.push(cell);
  }
}

/** Shades each cell by |w| against the largest; an exact zero is white. */
function drawWeights(values: Float32Array): void {
  const largest = values.reduce((m, v) => Math.max(m, v), 0) || 1;
  values.forEach((v, k) =>
    cells[k]?.setAttribute('fill-opacity', (Math.sqrt(v / largest) * 0.95).toFixed(3)),
  );
}

// a classic script (no top-level await), so that dist/index.html also opens from file://
void webgpuOffered().then((offer) => {
  if (offer.offered) backend.add(new Option('webgpu', 'webgpu'));
  element('webgpu').textContent = offer.offered
    ? `webgpu: ${offer.detail}`
    : `webgpu not offered (${offer.detail})`;
});

function start(): void {
  void train().catch((error: unknown) => {
    element('result').textContent = `failed: ${String(error)}`;
    run.disabled = false;
  });
}
run.addEventListener('click', start);

const stepsParam = params.get('steps');
if (stepsParam !== null) element<HTMLInputElement>('steps').value = stepsParam;
// The shipped model first (a moment), then training starts by itself; ?autorun=0 leaves it idle.
void runExportedModel('./model/')
  .then((r) => {
    element('exported').textContent =
      `${r.accuracy === 1 ? 'all' : `${(100 * r.accuracy).toFixed(1)}% of`} ${r.samples} fresh inputs classified right on ${r.backend} ` +
      `(spred prune reported ${(100 * r.reportedAccuracy).toFixed(1)}% on its held-out split); ` +
      `${r.compression.toFixed(1)}× fewer kernel weights, ${r.compactBytes} bytes of weights instead of ` +
      `${r.denseBytes} dense; it reads only inputs ${Array.from({ length: INPUTS }, (_, i) => i)
        .filter((i) => !r.droppedInputs.includes(i))
        .join(', ')}.`;
  })
  .catch((error: unknown) => {
    element('exported').textContent = `failed: ${String(error)}`;
  })
  .finally(() => {
    if (params.get('autorun') !== '0') start();
  });

async function train(): Promise<void> {
  run.disabled = true;
  const steps = Number(element<HTMLInputElement>('steps').value);
  const kappa = Number(element<HTMLInputElement>('kappa').value);
  const points: string[] = [];
  let lossFirst = 0;
  element('result').textContent = '';
  const onStep = async (report: StepReport): Promise<void> => {
    if (report.step === 1) lossFirst = report.loss;
    // loss as a share of the first step's, on a 300 × 100 canvas with 5 units of headroom
    points.push(
      `${((300 * report.step) / steps).toFixed(1)},${(100 - (95 * report.loss) / lossFirst).toFixed(1)}`,
    );
    line.setAttribute('points', points.join(' '));
    element('step').textContent = String(report.step);
    element('loss-value').textContent = report.loss.toFixed(4);
    element('sparsity').textContent = `${(100 * report.sparsity).toFixed(1)}%`;
    element('sparsity-bar').style.width = `${100 * report.sparsity}%`;
    drawWeights(report.inputWeights);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  };
  const result = await trainInBrowser({
    backend: backend.value as BrowserBackend,
    steps,
    kappa,
    onStep,
  });
  element('result').textContent =
    `${result.backend}, ${result.steps} steps in ${result.seconds.toFixed(1)} s: loss ` +
    `${result.lossFirst.toFixed(4)} → ${result.lossLast.toFixed(4)}; polish (${result.polishSeconds.toFixed(1)} s): ` +
    `largest violation ${result.violationBefore.toFixed(2)} → ${result.violationAfter.toExponential(1)} ` +
    `of 2κ, ${result.certified ? 'certified' : 'not certified'}; collapsed where zero is certified: ` +
    `${result.zeros} of ${result.total} weights are exact zeros (${result.noiseZeros} of the ` +
    `${result.noiseTotal} from uninformative inputs), outputs moved by at most ` +
    `${result.maxOutputChange.toExponential(2)}`;
  drawWeights(result.inputWeights);
  element('dropped').textContent =
    `after polish and collapse, ${result.droppedInputs.length} of ${INPUTS} inputs are dropped ` +
    `(every weight exactly zero): ${result.droppedInputs.join(', ') || 'none'}`;
  run.disabled = false;
}
