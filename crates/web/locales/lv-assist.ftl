# Haven lietotāja saskarne, palīdzība cilvēku tirdzniecības upuriem: latviešu valoda

## Informācijas lapa personai (Direktīvas 2011/36/ES 11. panta 5. un 6. punkts)
leaflet-link = Informācijas lapa personai
leaflet-tools = Lapas iestatījumi
leaflet-back = Atpakaļ uz lietu
leaflet-choose-language = Lapas valoda
leaflet-person-languages = Personas valodas: { $languages }
leaflet-show-name = Drukāt personas vārdu
leaflet-hide-name = Nedrukāt vārdu
leaflet-print-hint = Izdrukājiet šo lapu ar pārlūku (Ctrl+P). Šie iestatījumi netiek drukāti. Lapā nav uzvārda, dzimšanas datuma un lietas numura: persona to var pazaudēt, un to var atrast kāds, no kura persona baidās.
leaflet-fallback = Dažas daļas vēl nav iztulkotas šajā valodā: tās ir rādītas angliski.
audit-action-leaflet_printed = Izdrukāta informācijas lapa
