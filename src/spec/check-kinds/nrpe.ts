import { z } from 'zod';
import { defineCheckKind } from './check-kind.ts';
import { nrpeProbeOf, nrpeShape } from './nrpe-settings.ts';

const schema = z
  .strictObject(nrpeShape)
  .describe(
    "Ask the host's nrpe daemon to run command[NAME] (v4 with v2 fallback, TLS as nrpe ships it); state, output and perfdata are the plugin's.",
  );

export const nrpeCheck = defineCheckKind({
  key: 'nrpe',
  schema,
  toProbe(value, context) {
    return nrpeProbeOf(value, context.template);
  },
});
