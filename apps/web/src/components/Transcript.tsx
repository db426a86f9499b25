import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { TranscriptStep } from '../hooks/useRunEvents';
import { StepView } from './StepView';

/** A row's height before it is measured, and a not-yet-loaded row's height. */
const ROW_ESTIMATE = 72;

/**
 * Every step of the run, virtualised: only the rows near the visible area are in the page, so
 * a 10,000-step run costs what is on screen. It follows new steps until the reader scrolls up.
 * `steps` are the last `steps.length` of `total`: the rows before them hold their place
 * (the scrollbar is the run's true length) and ask for them (`onNeedOlder`) once in view.
 */
export function Transcript({
  steps,
  total = steps.length,
  version,
  live,
  loading = false,
  onNeedOlder,
}: {
  steps: TranscriptStep[];
  total?: number;
  version: number;
  live: boolean;
  loading?: boolean;
  onNeedOlder?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const count = Math.max(total, steps.length);
  const offset = count - steps.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => steps[index - offset]?.seq ?? `pending-${index}`,
  });
  const rows = virtualizer.getVirtualItems();

  // Rows not loaded yet are in view (the reader scrolled up): ask for the page before them,
  // again after each page while they still are.
  const firstInView = rows[0]?.index ?? count;
  // Not while following: the first frames, before the list is scrolled to its end, show the top.
  useEffect(() => {
    if (!following && firstInView < offset) onNeedOlder?.();
  }, [following, firstInView, offset, onNeedOlder]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes when steps arrive.
  useEffect(() => {
    if (following && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [version, following]);

  // Only the reader stops the following: a scroll of ours can land short of a bottom that
  // moved on while steps kept arriving, and must not count as the reader scrolling away.
  const readerMoved = useRef(0);
  const onReader = () => {
    readerMoved.current = Date.now();
  };
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (atBottom) {
      if (!following) setFollowing(true);
    } else if (following && Date.now() - readerMoved.current < 1000) {
      setFollowing(false);
    }
  };

  return (
    <div className="transcript-wrap">
      <div
        ref={scroller}
        className="transcript"
        onScroll={onScroll}
        onWheel={onReader}
        onTouchMove={onReader}
        onPointerDown={onReader}
        onKeyDown={onReader}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the reader scrolls the log by keyboard.
        tabIndex={0}
        role="log"
        aria-label="Transcript"
        aria-live={live ? 'polite' : 'off'}
      >
        {count === 0 && (
          <p className="muted pad">
            {loading
              ? 'Loading the transcript…'
              : live
                ? 'Waiting for the first step…'
                : 'No steps were recorded.'}
          </p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const step = steps[row.index - offset];
            return (
              <div
                key={row.key}
                data-index={row.index}
                // A row not loaded yet keeps the estimate: measuring it would move the rows below.
                ref={step ? virtualizer.measureElement : undefined}
                className="transcript-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  transform: `translateY(${row.start}px)`,
                  ...(step ? {} : { height: ROW_ESTIMATE }),
                }}
              >
                {step ? (
                  <StepView step={step} />
                ) : (
                  <p className="step-pending muted small">Loading earlier steps…</p>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {!following && count > 0 && (
        <button type="button" className="jump" onClick={() => setFollowing(true)}>
          Jump to latest
        </button>
      )}
    </div>
  );
}
