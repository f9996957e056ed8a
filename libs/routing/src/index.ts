// Routing: level 1 (which government body) and level 2 (which unit inside it).
export * from './level1';
export * from './level2';
