import { useStoredState } from '../hooks/useStoredState';
import type { DiffViewType } from './PatchView';

const VIEW_TYPES = ['unified', 'split'] as const satisfies readonly DiffViewType[];

/** Unified or split: chosen once for every diff in this browser. */
export function useDiffViewType() {
  return useStoredState<DiffViewType>('retrace.diff-view', VIEW_TYPES, 'unified');
}

export function DiffViewToggle({
  value,
  onChange,
}: {
  value: DiffViewType;
  onChange: (v: DiffViewType) => void;
}) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Diff view</legend>
      {VIEW_TYPES.map((type) => (
        <button key={type} type="button" aria-pressed={value === type} onClick={() => onChange(type)}>
          {type === 'unified' ? 'Unified' : 'Split'}
        </button>
      ))}
    </fieldset>
  );
}
