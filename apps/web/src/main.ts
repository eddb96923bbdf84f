import { trainInBrowser, type BrowserBackend, type StepReport } from './train-in-browser.js';
import { webgpuOffered } from './webgpu-offered.js';

declare global {
  interface Window {
    /** The page's logic, for the headless-Chromium test and the console. */
    spredWeb?: { trainInBrowser: typeof trainInBrowser; webgpuOffered: typeof webgpuOffered };
  }
}
window.spredWeb = { trainInBrowser, webgpuOffered };

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no element #${id}`);
  return found as T;
}

const backend = element<HTMLSelectElement>('backend');
const run = element<HTMLButtonElement>('run');
const line = document.getElementById('loss-line') as unknown as SVGPolylineElement;

// a classic script (no top-level await), so that dist/index.html also opens from file://
void webgpuOffered().then((offer) => {
  if (offer.offered) backend.add(new Option('webgpu', 'webgpu'));
  element('webgpu').textContent = offer.offered
    ? `webgpu: ${offer.detail}`
    : `webgpu not offered (${offer.detail})`;
});

run.addEventListener('click', () => {
  void train().catch((error: unknown) => {
    element('result').textContent = `failed: ${String(error)}`;
    run.disabled = false;
  });
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
  run.disabled = false;
}
