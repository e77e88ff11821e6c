import { DEMO_PROVIDER_ID } from '../../config/providers';
import type { ModelEvent } from '../../model/model-events';
import type { AgentwirePlugin } from '../plugin';

/** The bundled offline model (provider id `agentwire-demo`), contributed as any model provider is. */
export const demoModelPlugin: AgentwirePlugin = {
  name: 'agentwire:demo-model',
  register(ctx) {
    ctx.modelProvider(DEMO_PROVIDER_ID, () => {
      // Loaded on the first demo request, not at start-up.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
      const { demoModelStream } = require('../../offline-model/demo-model') as typeof import('../../offline-model/demo-model');
      return { stream: (req, signal) => oneByOne(demoModelStream(req, signal)) };
    });
  },
};

/** A stream of single events as batches of one (the offline model streams slowly on purpose). */
async function* oneByOne(events: AsyncIterable<ModelEvent>): AsyncGenerator<ModelEvent[]> {
  for await (const event of events) yield [event];
}
