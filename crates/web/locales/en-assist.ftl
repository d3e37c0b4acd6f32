# Haven user interface, assistance to victims: English

## The information leaflet for the person (Directive 2011/36/EU Art 11(5)-(6))
leaflet-link = Information leaflet for the person
leaflet-tools = Leaflet settings
leaflet-back = Back to the case
leaflet-choose-language = Language of the leaflet
leaflet-person-languages = The person's languages: { $languages }
leaflet-show-name = Print the person's first name
leaflet-hide-name = Do not print the first name
leaflet-print-hint = Print this page with the browser (Ctrl+P). These settings are not printed. The leaflet shows no family name, date of birth or case reference: the person may lose it, and someone they fear may find it.
leaflet-fallback = Some parts are not yet translated into this language: they are shown in English.
audit-action-leaflet_printed = Information leaflet printed
