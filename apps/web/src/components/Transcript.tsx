import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { TranscriptStep } from '../hooks/useRunEvents';
import { StepView } from './StepView';

/**
 * Every step as it arrives, virtualised (only the visible rows are in the page, so a
 * 10,000-step run stays smooth). It follows new steps until the reader scrolls up.
 */
export function Transcript({
  steps,
  version,
  live,
}: {
  steps: TranscriptStep[];
  version: number;
  live: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 72,
    overscan: 8,
    getItemKey: (index) => steps[index]?.seq ?? index,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes when steps arrive.
  useEffect(() => {
    if (following && steps.length > 0) virtualizer.scrollToIndex(steps.length - 1, { align: 'end' });
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
        {steps.length === 0 && (
          <p className="muted pad">{live ? 'Waiting for the first step…' : 'No steps were recorded.'}</p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const step = steps[row.index];
            return step ? (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="transcript-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  transform: `translateY(${row.start}px)`,
                }}
              >
                <StepView step={step} />
              </div>
            ) : null;
          })}
        </div>
      </div>
      {!following && steps.length > 0 && (
        <button type="button" className="jump" onClick={() => setFollowing(true)}>
          Jump to latest
        </button>
      )}
    </div>
  );
}
