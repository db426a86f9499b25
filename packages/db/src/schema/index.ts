export * from './artifacts';
export * from './experiments';
export * from './pattern-cache';
export * from './patterns';
export * from './projects';
export * from './run-events';
export * from './runs';
export * from './steps';
