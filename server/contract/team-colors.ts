/** Team colours, distinct on the basemap and in print: team i of a plan is drawn in TEAM_COLORS[i % length], in the planner, the field page, the big screen and the task sheet. */
export const TEAM_COLORS = [
  '#d1495b', '#00798c', '#edae49', '#6a4c93', '#2e7d32', '#3d5a80', '#e76f51', '#8d6e63', '#c2185b', '#00897b',
  '#5c6bc0', '#f4a261', '#7cb342', '#8e24aa', '#0277bd', '#ef6c00', '#546e7a', '#ad1457', '#558b2f', '#4527a0',
];
