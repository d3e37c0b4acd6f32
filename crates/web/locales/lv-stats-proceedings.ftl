# Cilvēku tirgotāju tabulas valsts statistikā, skaitītas no kriminālprocesu datiem.

stats-proc-counting = Kā tika skaitīti likumpārkāpēji
stats-proc-suspects = fizisku personu kā aizdomās turēto ieraksti valsts izmeklēšanās
stats-proc-merged = skaitīti kopā ar citu tās pašas personas kā aizdomās turētās ierakstu
stats-proc-legal = juridiskas personas starp aizdomās turētajiem, netiek skaitītas
stats-proc-method = Likumpārkāpēji tiek skaitīti kā personas, nevis ieraksti: fiziskas personas, kas ir aizdomās turētās valsts izmeklēšanās. Aizdomās turētie, kas sasaistīti ar vienu un to pašu identifikācijas lietu vai ar lietām, kuras personu reģistrs apvieno vienā personā, ir viena persona, tāpat kā aizdomās turētie ar vienādu vārdu un uzvārdu (neņemot vērā lielos un mazos burtus, diakritiskās zīmes un vārdu secību), vienādu pilsonību un vienādu dzimumu. Persona tiek skaitīta vienu reizi katrā posmā un gadā: kā aizdomās turētā tajā gadā, kad pirmo reizi kļuvusi zināma kā aizdomās turētā, kā apsūdzētā tā pirmā lēmuma par kriminālvajāšanu gadā (apsūdzība vai priekšraksts par sodu), kā notiesātā pirmās notiesāšanas gadā jebkurā instancē neatkarīgi no tā, ko vēlāk izlemj apelācija; ar tā ieraksta dzimumu, vecuma grupu, pilsonību un ekspluatācijas veidu, kas gadā pirmais sasniedza šo posmu. Cilvēku tirgotāji ir aizdomās turētie par Dir 2011/36 2. un 3. pantā minētajiem noziedzīgajiem nodarījumiem; personas, kas apzināti izmantojušas no upura ekspluatētus pakalpojumus, ir aizdomās turētie par 18.a pantā minēto noziedzīgo nodarījumu. Katrs posms tiek skaitīts atsevišķi: gadā notiesātā persona var būt bijusi aizdomās turētā kādā agrākā gadā. Juridiskas personas netiek skaitītas.

stats-proc-amounts = Gadā iesaldētās, arestētās, konfiscētās un realizētās summas (Dir 2011/36 7. pants)
stats-proc-amount-ASSET_FROZEN = Iesaldēts
stats-proc-amount-ASSET_SEIZED = Arestēts
stats-proc-amount-ASSET_CONFISCATED = Konfiscēts (lēmumi par konfiskāciju)
stats-proc-amount-ASSET_REALISED = Realizēts no konfiscētās mantas
stats-proc-amounts-rule = Eiro pēc reģistrētajiem kursiem. Manta tiek skaitīta vienu reizi katram pasākumam, tā pirmā šāda veida pasākuma gadā, pēc pasākuma summas vai, ja tās nav, pēc mantas vērtības. Skaitlis ir konfidenciāls (c), ja to veido mazāk izmeklēšanu nekā publikācijas slieksnis vai ja viena izmeklēšana veido vairāk nekā 85 % no tā; neviens skaitlis nav citu summa, tāpēc nevienu nevar aprēķināt no citiem.
