// The app's one accessibility script (ratc/ui/access.py; docs/TOEGANKELIJKHEID.md): Dutch for screen readers.
(() => {
  document.documentElement.lang = "nl";
  if (window.ratcToegankelijk) return;
  window.ratcToegankelijk = true;
  // Streamlit's own controls carry English names it has no setting for; read out in Dutch instead.
  const names = new Map([
    ["Skip to main content", "Naar de inhoud"],
    ["Main menu", "Hoofdmenu"],
    ["Show data", "Toon de gegevens"],
    ["Download as PNG", "Download als PNG"],
    ["Download as SVG", "Download als SVG"],
    ["Copy Vega-Lite spec", "Kopieer de Vega-Lite-specificatie"],
    ["Fullscreen", "Volledig scherm"],
    ["Close fullscreen", "Volledig scherm sluiten"],
    ["Download as CSV", "Download als CSV"],
    ["Search", "Zoeken"],
    ["Show/hide columns", "Kolommen tonen of verbergen"],
    ["Choose date", "Kies een datum"],
    ["file upload", "Bestand kiezen"],
    ["Increment", "Verhogen"],
    ["Decrement", "Verlagen"],
    ["Clear all", "Alles wissen"],
    ["Clear value", "Wissen"],
    ["Close", "Sluiten"],
    ["Open", "Openen"],
  ]);
  const patterns = [
    [/^Help for (.+)$/, "Uitleg bij $1"],
    [/^Remove (.+)$/, "$1 verwijderen"],
    [/^day, (.+)$/, "dag, $1"],
    [/^month, (.+)$/, "maand, $1"],
    [/^year, (.+)$/, "jaar, $1"],
  ];
  const dutch = (label) => {
    if (names.has(label)) return names.get(label);
    for (const [pattern, replacement] of patterns) {
      if (pattern.test(label)) return label.replace(pattern, replacement);
    }
    return null;
  };
  const fix = () => {
    if (document.documentElement.lang !== "nl") document.documentElement.lang = "nl";
    for (const element of document.querySelectorAll("[aria-label]")) {
      const label = dutch(element.getAttribute("aria-label"));
      if (label) element.setAttribute("aria-label", label);
    }
    // The same names as visible text: the skip link and the toolbars' tooltips.
    for (const element of document.querySelectorAll('[data-testid="stSkipToContent"], [data-testid="stTooltipContent"] p')) {
      const text = element.firstChild;
      if (text && text.nodeType === Node.TEXT_NODE && names.has(text.nodeValue)) text.nodeValue = names.get(text.nodeValue);
    }
    // Material icons beside text ("science icon", or the ligature "dashboard" read before a page's name): decorative.
    for (const icon of document.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden]), span[role="img"][aria-label$=" icon"]')) {
      icon.setAttribute("aria-hidden", "true");
    }
    // A tile's sparkline repeats its figures as 1,500 unnamed points: decorative, the tile says what it shows.
    for (const chart of document.querySelectorAll('[data-testid="stMetric"] .vega-embed:not([aria-hidden])')) {
      chart.setAttribute("aria-hidden", "true");
    }
    // A matrix keeps its width and scrolls sideways in its box on a phone: the box takes keyboard focus, so the
    // arrow keys scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
    for (const box of document.querySelectorAll('[class*="st-key-scroll-"] .vega-embed:not([tabindex])')) {
      box.setAttribute("tabindex", "0");
    }
  };
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fix();
    });
  });
  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true,
    attributeFilter: ["aria-label", "lang"] });
  fix();
})();
