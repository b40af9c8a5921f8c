import { themeCss } from "./styles";
import "./components/fh-app";

performance.mark("fieldhub:script-start");
const theme = new CSSStyleSheet();
theme.replaceSync(themeCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, theme];
