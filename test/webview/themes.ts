// The theme variables live with the webviews (the playground hosts panels with them too).
export { themes, type TestTheme, type ThemeName } from '../../webview/shared/vscodeThemes';
