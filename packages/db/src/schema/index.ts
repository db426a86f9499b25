export * from './artifacts';
export * from './pattern-cache';
export * from './projects';
export * from './run-events';
export * from './runs';
export * from './steps';
