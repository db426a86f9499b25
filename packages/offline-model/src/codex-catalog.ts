import { CODEX_MODEL } from './server';

/**
 * Codex's metadata for the offline model, a model Codex does not ship: without it Codex
 * offers no apply_patch tool. Written as `model_catalog_json` into the runner's CODEX_HOME.
 */
export function codexModelCatalog(model = CODEX_MODEL) {
  return {
    models: [
      {
        slug: model,
        display_name: 'Retrace offline model (simulator)',
        base_instructions: 'You follow the plan in the prompt.',
        supported_reasoning_levels: [],
        shell_type: 'unified_exec',
        visibility: 'list',
        supported_in_api: true,
        priority: 1,
        support_verbosity: false,
        truncation_policy: { mode: 'tokens', limit: 10000 },
        experimental_supported_tools: [],
        apply_patch_tool_type: 'freeform',
        context_window: 128000,
      },
    ],
  };
}
