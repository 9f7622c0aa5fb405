// The studio's JSON editor: CodeMirror 6 in place of the form's textarea.
// Bundled at set-up by esbuild into webapp/static/vendor/studio-editor.js
// (never committed). Without JavaScript the textarea itself works.
//
// - every change is copied into the textarea and announced as a
//   "studio-changed" event on its form (htmx lints the text, debounced);
// - a finding's link (a.studio-goto with data-line/data-col) puts the cursor
//   at that line and column, in CodeMirror or in the plain textarea.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { json } from "@codemirror/lang-json";

function offsetIn(text, line, col) {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + Math.max(col - 1, 0), text.length);
}

// CodeMirror injects its styles at run time. In the document that would be a
// <style> element, which the Content-Security-Policy (style-src 'self')
// rightly refuses; in a shadow root it uses constructed style sheets, which
// the policy leaves to scripts it already trusts. So the editor lives in one.
const SHADOW_CSS = `
  .cm-editor { height: 36rem; font-size: 0.875rem; background: #fff; }
  .cm-editor.cm-focused { outline: 3px solid #ffdd00; outline-offset: 0; }
  .cm-scroller { overflow: auto; }
  .cm-gutters { color: #505a5f; }
`;

function setUp(textarea) {
  const form = textarea.form;
  const host = document.createElement("div");
  host.className = "studio-codemirror";
  textarea.parentNode.insertBefore(host, textarea.nextSibling);
  const shadow = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(SHADOW_CSS);
  shadow.adoptedStyleSheets = [sheet];
  const view = new EditorView({
    parent: shadow,
    root: shadow,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        json(),
        EditorState.readOnly.of(textarea.readOnly),
        EditorView.contentAttributes.of({
          tabindex: "0", // already in the tab order; said explicitly for checkers of scrollable regions
          "aria-label": (document.querySelector(`label[for="${textarea.id}"]`) || {}).textContent || "JSON",
          "aria-describedby": textarea.getAttribute("aria-describedby") || "",
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          if (form) form.dispatchEvent(new CustomEvent("studio-changed", { bubbles: true }));
        }),
      ],
    }),
  });
  textarea.classList.add("studio-hidden");
  textarea.studioEditor = view;
  return view;
}

function goTo(textarea, line, col) {
  const view = textarea.studioEditor;
  if (view) {
    const info = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
    const pos = Math.min(info.from + Math.max(col - 1, 0), info.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
    return;
  }
  const pos = offsetIn(textarea.value, line, col);
  textarea.focus();
  textarea.setSelectionRange(pos, pos);
}

document.addEventListener("DOMContentLoaded", () => {
  const textarea = document.querySelector("textarea[data-studio-editor]");
  if (!textarea) return;
  setUp(textarea);
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.studio-goto");
    if (!link) return;
    event.preventDefault();
    goTo(textarea, Number(link.dataset.line), Number(link.dataset.col));
  });
});
